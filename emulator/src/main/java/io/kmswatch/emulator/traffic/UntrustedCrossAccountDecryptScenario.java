package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/**
 * Cross-account decrypt from an untrusted account: the key policy is widened to the outsider's account, and
 * the outsider decrypts the application's data keys by key ARN.
 */
final class UntrustedCrossAccountDecryptScenario implements Scenario {
    @Override
    public String type() {
        return "cross-account-untrusted-decrypt";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-policy-opened", "cross-account-key-use", "new-principal-on-key");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = Incidents.envelopeApp(plan.world());
        String external = plan.world().profile().accounts().external();
        plan.subject(alias, TrafficWorld.OUTSIDER);
        plan.account(plan.world().profile().accounts().production());
        String statement = TrafficWorld.statement("AllowDataExport", "arn:aws:iam::" + external + ":root",
                "[\"kms:Decrypt\"]", null);
        plan.at(0.05, ctx -> Incidents.putPolicy(ctx, admin, alias, Incidents.policyWith(ctx.world(), alias, statement)));
        plan.spread(15, 0.15, 0.8, ctx -> Workloads.decrypt(ctx, "scenario", TrafficWorld.OUTSIDER, alias, ctx.keyArn(alias)));
        plan.at(0.9, ctx -> Incidents.restorePolicy(ctx, admin, alias));
    }
}
