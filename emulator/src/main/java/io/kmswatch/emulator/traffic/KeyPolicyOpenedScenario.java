package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** A key policy opened to everyone: {@code "Principal": "*"} allowing use of the key with no condition. */
final class KeyPolicyOpenedScenario implements Scenario {
    @Override
    public String type() {
        return "key-policy-opened";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-policy-opened");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = Incidents.envelopeApp(plan.world());
        plan.subject(alias, admin);
        String open = "{\"Sid\":\"TemporaryDebugAccess\",\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:GenerateDataKey*\"],\"Resource\":\"*\"}";
        plan.at(0.1, ctx -> Incidents.putPolicy(ctx, admin, alias, Incidents.policyWith(ctx.world(), alias, open)));
        plan.at(0.9, ctx -> Incidents.restorePolicy(ctx, admin, alias));
    }
}
