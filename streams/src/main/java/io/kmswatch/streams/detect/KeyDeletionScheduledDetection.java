package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Instant;
import java.util.List;

/**
 * {@code key-deletion-scheduled}: a successful ScheduleKeyDeletion, carrying the pending window and
 * the deletion date. The minimum window (7 days) is the strongest signal and fires one level higher.
 * CancelKeyDeletion produces a {@code resolves} record. Quiet for planned retirements and trusted key tags.
 */
public final class KeyDeletionScheduledDetection extends StatelessDetection {
    public static final String ID = "key-deletion-scheduled";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH);
    }

    @Override
    protected List<Detection> evaluate(KeyEvent ke, RuleContext ctx) {
        CloudTrailEvent e = ke.event();
        KmsOperation op = e.operation();
        if (!e.isKms() || !e.succeeded() || e.keyArn() == null
                || (op != KmsOperation.SCHEDULE_KEY_DELETION && op != KmsOperation.CANCEL_KEY_DELETION)) {
            return List.of();
        }
        if (sanctioned(ke, ctx)) {
            return List.of();
        }
        String key = e.keyArn();
        Findings f = Findings.about(ID, ctx.settings().severity(), e).fingerprintOf(key);
        if (op == KmsOperation.CANCEL_KEY_DELETION) {
            return List.of(f.resolves(true).title("KMS key deletion cancelled: " + key)
                    .summary(e.principal() + " cancelled the deletion; the key is disabled until enabled again.")
                    .runbook(Runbooks.forKey(key, e.awsRegion(), List.of("Re-enable the key if it is still needed."),
                            Runbooks.enableKey(key, e.awsRegion())))
                    .build());
        }
        int days = DeletionDates.pendingWindowInDays(e);
        Instant deletion = DeletionDates.of(e);
        Severity s = ctx.settings().severity();
        if (days <= 7) {
            s = s.escalate();
        }
        if (ctx.config().isTrustedPrincipal(e.principal())) {
            s = Severity.LOW;
        }
        return List.of(f.severity(s).title("KMS key scheduled for deletion on " + deletion + ": " + key)
                .summary(e.principal() + " scheduled the key for deletion in " + days + " days (" + deletion
                        + "). After that, everything encrypted under it is unrecoverable.")
                .attr("pendingWindowInDays", days).attr("deletionDate", deletion)
                .attr("invokedBy", e.userIdentity().invokedBy())
                .runbook(Runbooks.forKey(key, e.awsRegion(), List.of(
                        "Is this key still needed? Search for data encrypted under it before " + deletion + ".",
                        "Was it disabled first (key-destruction-chain)? Who scheduled it, from where?",
                        "Cancel the deletion, then enable the key: cancelling leaves it disabled."),
                        Runbooks.cancelKeyDeletion(key, e.awsRegion()), Runbooks.enableKey(key, e.awsRegion())))
                .build());
    }
}
