package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** A loop bug: one role decrypts about ten times its normal rate on its key. */
final class DecryptSpikeScenario implements Scenario {
    @Override
    public String type() {
        return "decrypt-spike";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("decrypt-spike");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String app = Incidents.envelopeApp(plan.world());
        plan.subject(app, app);
        int count = (int) Math.min(600, Math.max(60, Math.round(10 * plan.normalCalls(app))));
        plan.spread(count, 0.05, 0.95, ctx -> Workloads.decrypt(ctx, "scenario", app, app, ctx.keyArn(app)));
    }
}
