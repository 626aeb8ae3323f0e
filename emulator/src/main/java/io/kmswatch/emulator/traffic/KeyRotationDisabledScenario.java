package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** Automatic rotation turned off on a production key (and turned back on once noticed). */
final class KeyRotationDisabledScenario implements Scenario {
    @Override
    public String type() {
        return "key-rotation-disabled";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-rotation-disabled");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(30);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = Incidents.app(plan.world(), TrafficProfile.Workload.S3);
        plan.subject(alias, admin);
        plan.at(0.1, ctx -> ctx.call("scenario", admin, "DisableKeyRotation", kms -> kms.disableKeyRotation(r -> r
                .keyId(ctx.keyArn(alias)))));
        plan.at(0.9, ctx -> ctx.call("scenario", admin, "EnableKeyRotation", kms -> kms.enableKeyRotation(r -> r
                .keyId(ctx.keyArn(alias)))));
    }
}
