package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.List;

/**
 * {@code key-rotation-disabled}: a successful DisableKeyRotation (what AWS Config's
 * {@code cmk-backing-key-rotation-enabled} would flag later). EnableKeyRotation resolves it.
 */
public final class KeyRotationDisabledDetection extends StatelessDetection {
    public static final String ID = "key-rotation-disabled";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.MEDIUM);
    }

    @Override
    protected List<Detection> evaluate(KeyEvent ke, RuleContext ctx) {
        CloudTrailEvent e = ke.event();
        KmsOperation op = e.operation();
        if (!e.isKms() || !e.succeeded() || e.keyArn() == null
                || (op != KmsOperation.DISABLE_KEY_ROTATION && op != KmsOperation.ENABLE_KEY_ROTATION)
                || sanctioned(ke, ctx)) {
            return List.of();
        }
        String key = e.keyArn();
        String region = e.awsRegion();
        Findings f = Findings.about(ID, ctx.settings().severity(), e).fingerprintOf(key);
        if (op == KmsOperation.ENABLE_KEY_ROTATION) {
            // Unconditional, like key-disabled's resolution: independent of arrival order.
            return List.of(f.resolves(true).title("KMS key rotation enabled: " + key)
                    .summary(e.principal() + " enabled automatic rotation.").build());
        }
        return List.of(f.title("KMS key rotation disabled: " + key)
                .summary(e.principal() + " turned off automatic rotation; the key material will no longer be "
                        + "rotated yearly.")
                .runbook(Runbooks.forKey(key, region, List.of("Is there a reason to stop rotation (imported "
                                + "material, asymmetric key)? Who asked for it?"),
                        "aws kms enable-key-rotation --key-id " + key + " --region " + region,
                        "aws kms get-key-rotation-status --key-id " + key + " --region " + region))
                .build());
    }
}
