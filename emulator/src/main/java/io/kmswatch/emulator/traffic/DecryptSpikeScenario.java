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
        // A detector counts Decrypt and GenerateDataKey per key per 5-minute window (decrypt-spike: factor 10 over
        // the baseline, floor 100), so the loop's calls land within four minutes: at least 200, and 25 times the
        // role's normal work units (each unit is about two calls), i.e. well over ten times its normal calls.
        int count = (int) Math.min(2000, Math.max(200, Math.round(25 * plan.normalCalls(app, Duration.ofMinutes(5)))));
        plan.spread(count, 0.05, 0.05 + 0.95 * plan.fraction(Duration.ofMinutes(4)),
                ctx -> Workloads.decrypt(ctx, "scenario", app, app, ctx.keyArn(app)));
    }
}
