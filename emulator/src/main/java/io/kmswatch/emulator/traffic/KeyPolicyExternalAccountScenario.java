package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** A key policy changed to allow an account nobody trusts. */
final class KeyPolicyExternalAccountScenario implements Scenario {
    @Override
    public String type() {
        return "key-policy-external-account";
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
        String alias = TrafficWorld.SHARED_KEY;
        plan.subject(alias, admin);
        String external = plan.world().profile().accounts().external();
        String statement = TrafficWorld.statement("AllowVendorAccess", "arn:aws:iam::" + external + ":root",
                "[\"kms:Decrypt\",\"kms:DescribeKey\"]", null);
        plan.at(0.1, ctx -> Incidents.putPolicy(ctx, admin, alias, Incidents.policyWith(ctx.world(), alias, statement)));
        plan.at(0.9, ctx -> Incidents.restorePolicy(ctx, admin, alias));
    }
}
