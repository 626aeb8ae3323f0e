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

    /** How long a spike loop runs: over two windows of the detector, so one whole clock-aligned window lies inside. */
    static final Duration SPIKE_LENGTH = Duration.ofMinutes(11);

    /** The calls of a spike loop over {@link #SPIKE_LENGTH}: per 5 minutes, at least 200 and 25 normal work units. */
    static int spikeCalls(ScenarioPlan plan, String app) {
        long perWindow = Math.min(2000, Math.max(200, Math.round(25 * plan.normalCalls(app, Duration.ofMinutes(5)))));
        // Evenly spread, n calls over the loop put (n - 1) * 5 / length of them in a window: two more keep it whole.
        return (int) (perWindow * SPIKE_LENGTH.toMinutes() / 5) + 2;
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String app = Incidents.envelopeApp(plan.world());
        plan.subject(app, app);
        // A detector counts Decrypt and GenerateDataKey per key per 5-minute window (decrypt-spike: factor 10 over
        // the baseline, floor 100), and its windows are aligned to the clock, not to the loop: a loop of four minutes
        // straddles a window boundary and puts only part of its calls in each window. So the loop keeps its rate
        // (at least 200, and 25 times the role's normal work units per 5 minutes, each unit about two calls, i.e.
        // well over ten times its normal calls) for eleven minutes, which always covers one whole window.
        plan.spread(spikeCalls(plan, app), 0.05, 0.05 + plan.fraction(SPIKE_LENGTH),
                ctx -> Workloads.decrypt(ctx, "scenario", app, app, ctx.keyArn(app)));
    }
}
