package io.kmswatch.emulator.traffic;

import software.amazon.awssdk.services.kms.model.OriginType;

import java.time.Duration;
import java.util.List;

/** A key scheduled for deletion: sometimes cancelled (and re-enabled) a little later, sometimes left pending. */
final class KeyDeletionScheduledScenario implements Scenario {
    @Override
    public String type() {
        return "key-deletion-scheduled";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-deletion-scheduled");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = "batch-archive-" + plan.index();
        int days = List.of(7, 14, 30).get(plan.random().nextInt(3));
        boolean cancel = plan.random().nextBoolean();
        plan.subject(alias, admin);
        plan.at(0.0, ctx -> Setup.createKey(ctx, "scenario", admin, alias, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", null,
                List.of(Setup.tag("Application", "batch-archive")), true, OriginType.AWS_KMS));
        plan.at(0.3, ctx -> ctx.call("scenario", admin, "ScheduleKeyDeletion", kms -> kms.scheduleKeyDeletion(r -> r
                .keyId(ctx.keyArn(alias)).pendingWindowInDays(days))));
        if (cancel) {
            plan.at(0.8, ctx -> ctx.call("scenario", admin, "CancelKeyDeletion", kms -> kms.cancelKeyDeletion(r -> r
                    .keyId(ctx.keyArn(alias)))));
            plan.at(0.85, ctx -> ctx.call("scenario", admin, "EnableKey", kms -> kms.enableKey(r -> r.keyId(ctx.keyArn(alias)))));
        }
    }
}
