package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/**
 * The guide's "key accidentally disabled during cleanup": an administrator disables a key an application
 * still uses; the application's Decrypt calls fail with DisabledException until the key is re-enabled.
 */
final class KeyDisabledCleanupScenario implements Scenario {
    @Override
    public String type() {
        return "key-disabled-cleanup";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-disabled", "key-unusable-failures");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String app = Incidents.app(plan.world(), TrafficProfile.Workload.LAMBDA);
        plan.subject(app, admin);
        plan.at(0.0, ctx -> ctx.call("scenario", admin, "DisableKey", kms -> kms.disableKey(r -> r.keyId(ctx.keyArn(app)))));
        // Most failures come in the first minutes (a burst per 5-minute window is what key-unusable-failures
        // counts), then the odd retry until someone re-enables the key.
        double burst = plan.fraction(Duration.ofMinutes(4));
        plan.spread(10, 0.02, 0.02 + 0.9 * burst, ctx -> Workloads.decrypt(ctx, "scenario", app, app, ctx.keyArn(app)));
        plan.spread(3, Math.min(0.75, 0.1 + burst), 0.75, ctx -> Workloads.decrypt(ctx, "scenario", app, app, ctx.keyArn(app)));
        plan.at(0.85, ctx -> ctx.call("scenario", admin, "EnableKey", kms -> kms.enableKey(r -> r.keyId(ctx.keyArn(app)))));
    }
}
