package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Look-alike: a deploy that doubles an application's traffic smoothly, ramping from its normal rate to twice
 * it over the window (no step, no tenfold spike). Nothing may fire.
 */
final class SmoothDeployLookAlike implements Scenario {
    @Override
    public String type() {
        return "deploy-doubles-traffic";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of();
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(60);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String app = Incidents.envelopeApp(plan.world());
        plan.subject(app, app);
        // Extra calls whose density grows linearly to +100%: on average half the normal volume again.
        int extra = (int) Math.max(4, Math.round(0.5 * plan.normalCalls(app)));
        for (int i = 1; i <= extra; i++) {
            plan.at(Math.sqrt((double) i / extra), ctx -> Workloads.envelope(ctx, "scenario", app, app,
                    Map.of("app", app), 0.8));
        }
    }
}
