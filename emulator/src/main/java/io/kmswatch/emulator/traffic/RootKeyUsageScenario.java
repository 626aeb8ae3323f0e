package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** The account root user signs in with its access key and uses KMS. */
final class RootKeyUsageScenario implements Scenario {
    @Override
    public String type() {
        return "root-key-usage";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("root-key-usage", "new-principal-on-key");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String root = TrafficWorld.ROOT;
        String alias = Incidents.envelopeApp(plan.world());
        plan.subject(alias, root);
        plan.at(0.1, ctx -> ctx.call("scenario", root, "ListKeys", kms -> kms.listKeys(r -> r.limit(100))));
        plan.at(0.3, ctx -> ctx.call("scenario", root, "DescribeKey", kms -> kms.describeKey(r -> r.keyId(ctx.keyArn(alias)))));
        plan.at(0.5, ctx -> Workloads.decrypt(ctx, "scenario", root, alias, ctx.keyArn(alias)));
        plan.at(0.7, ctx -> ctx.call("scenario", root, "ListAliases", kms -> kms.listAliases(r -> r.limit(100))));
    }
}
