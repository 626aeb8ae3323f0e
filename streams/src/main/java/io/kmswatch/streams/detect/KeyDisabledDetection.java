package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.List;

/**
 * {@code key-disabled}: a successful DisableKey. Every application using the key starts failing with
 * DisabledException. An EnableKey produces a {@code resolves} record with the same fingerprint, so
 * the alert resolves. Quiet for planned
 * retirements and trusted key tags; a trusted principal downgrades it to low.
 */
public final class KeyDisabledDetection extends StatelessDetection {
    public static final String ID = "key-disabled";

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
                || (op != KmsOperation.DISABLE_KEY && op != KmsOperation.ENABLE_KEY)) {
            return List.of();
        }
        if (sanctioned(ke, ctx)) {
            return List.of();
        }
        String key = e.keyArn();
        Findings f = Findings.about(ID, ctx.settings().severity(), e).fingerprintOf(key);
        if (op == KmsOperation.ENABLE_KEY) {
            // Every EnableKey resolves, whatever the inventory thought the state was: that keeps the
            // output independent of arrival order, and resolving an alert that is not firing is a no-op.
            return List.of(f.resolves(true).title("KMS key re-enabled: " + key)
                    .summary(e.principal() + " enabled the key again; applications can use it.")
                    .runbook(Runbooks.forKey(key, e.awsRegion(), List.of("Confirm the re-enable was intended.")))
                    .build());
        }
        boolean trusted = ctx.config().isTrustedPrincipal(e.principal());
        return List.of(f.severity(trusted ? Severity.LOW : ctx.settings().severity())
                .title("KMS key disabled: " + key)
                .summary(e.principal() + " disabled the key. Every Encrypt/Decrypt with it now fails with "
                        + "DisabledException until it is enabled again.")
                .attr("eventName", e.eventName()).attr("invokedBy", e.userIdentity().invokedBy())
                .attr("trustedPrincipal", trusted ? "true" : null)
                .runbook(Runbooks.forKey(key, e.awsRegion(), List.of(
                        "Was this a planned change (ticket, retirement)? Ask " + e.principal() + ".",
                        "Are applications failing with DisabledException (key-unusable-failures)?",
                        "If not intended, re-enable the key and check who else acted on it."),
                        Runbooks.enableKey(key, e.awsRegion())))
                .build());
    }
}
