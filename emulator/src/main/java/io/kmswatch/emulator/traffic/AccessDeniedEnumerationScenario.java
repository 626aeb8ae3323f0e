package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** Enumeration: a principal probes key after key and collects a burst of AccessDeniedException. */
final class AccessDeniedEnumerationScenario implements Scenario {
    @Override
    public String type() {
        return "access-denied-enumeration";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("access-denied-burst");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String who = plan.world().profile().first(TrafficProfile.Workload.MISTAKES).name();
        List<String> aliases = plan.world().keys().stream().map(TrafficWorld.KeyPlan::alias).toList();
        plan.subject(null, who);
        plan.account(plan.world().principal(who).accountId());
        for (int i = 0; i < 24; i++) {
            String alias = aliases.get(i % aliases.size());
            double at = 0.05 + 0.6 * i / 23.0;
            switch (i % 3) {
                case 0 -> plan.at(at, ctx -> ctx.call("scenario", who, "GetKeyPolicy", kms -> kms.getKeyPolicy(r -> r
                        .keyId(ctx.keyArn(alias)).policyName("default"))));
                case 1 -> plan.at(at, ctx -> ctx.call("scenario", who, "DisableKey", kms -> kms.disableKey(r -> r
                        .keyId(ctx.keyArn(alias)))));
                default -> plan.at(at, ctx -> ctx.call("scenario", who, "CreateGrant", kms -> kms.createGrant(r -> r
                        .keyId(ctx.keyArn(alias)).granteePrincipal(ctx.world().principal(who).policyArn())
                        .operations(software.amazon.awssdk.services.kms.model.GrantOperation.DECRYPT))));
            }
        }
    }
}
