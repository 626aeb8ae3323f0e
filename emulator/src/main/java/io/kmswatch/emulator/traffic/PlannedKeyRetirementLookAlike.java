package io.kmswatch.emulator.traffic;

import software.amazon.awssdk.services.kms.model.OriginType;

import java.time.Duration;
import java.util.List;

/**
 * Look-alike: a planned key retirement announced in configuration (keys aliased {@code alias/legacy-reports-*}
 * and tagged {@code kmswatch:planned-retirement=true}) is scheduled for deletion with the full 30-day window.
 * Nothing may fire.
 */
final class PlannedKeyRetirementLookAlike implements Scenario {
    /** Alias prefix of keys whose retirement is announced; detection config allowlists it. */
    static final String ALIAS_PREFIX = "legacy-reports-";

    @Override
    public String type() {
        return "planned-key-retirement";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of();
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = ALIAS_PREFIX + plan.index();
        plan.subject(alias, admin);
        plan.at(0.0, ctx -> Setup.createKey(ctx, "scenario", admin, alias, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", null,
                List.of(Setup.tag("kmswatch:planned-retirement", "true")), true, OriginType.AWS_KMS));
        plan.at(0.5, ctx -> ctx.call("scenario", admin, "ScheduleKeyDeletion", kms -> kms.scheduleKeyDeletion(r -> r
                .keyId(ctx.keyArn(alias)).pendingWindowInDays(30))));
    }
}
