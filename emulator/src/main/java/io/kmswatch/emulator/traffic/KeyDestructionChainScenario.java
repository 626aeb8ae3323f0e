package io.kmswatch.emulator.traffic;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.OriginType;

import java.time.Duration;
import java.util.List;

/** The destruction chain: a key in use is disabled, then scheduled for deletion with the shortest window. */
final class KeyDestructionChainScenario implements Scenario {
    @Override
    public String type() {
        return "key-destruction-chain";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-disabled", "key-deletion-scheduled", "key-destruction-chain");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = "temp-migration-" + plan.index();
        plan.subject(alias, admin);
        plan.at(0.0, ctx -> Setup.createKey(ctx, "scenario", admin, alias, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", null,
                List.of(Setup.tag("Application", "migration")), true, OriginType.AWS_KMS));
        plan.spread(3, 0.05, 0.2, ctx -> ctx.call("scenario", admin, "Encrypt", kms -> kms.encrypt(r -> r
                .keyId(ctx.keyArn(alias)).plaintext(SdkBytes.fromUtf8String("migration batch")))));
        plan.at(0.3, ctx -> ctx.call("scenario", admin, "DisableKey", kms -> kms.disableKey(r -> r.keyId(ctx.keyArn(alias)))));
        plan.at(0.5, ctx -> ctx.call("scenario", admin, "ScheduleKeyDeletion", kms -> kms.scheduleKeyDeletion(r -> r
                .keyId(ctx.keyArn(alias)).pendingWindowInDays(7))));
    }
}
