package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.List;

/**
 * {@code key-material-deleted}: a successful DeleteImportedKeyMaterial by a principal (not AWS): the
 * key becomes unusable until the same material is imported again — the last step of BYOK ransomware.
 * DeleteExpiredKeyMaterial, which AWS does itself when material expires, is not a person's action.
 */
public final class KeyMaterialDeletedDetection extends StatelessDetection {
    public static final String ID = "key-material-deleted";

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
        if (!e.isKms() || !e.succeeded() || e.operation() != KmsOperation.DELETE_IMPORTED_KEY_MATERIAL
                || Callers.isAwsItself(e) || sanctioned(ke, ctx)) {
            return List.of();
        }
        String key = e.keyArn();
        return List.of(Findings.about(ID, ctx.settings().severity(), e).fingerprintOf(key, e.eventId())
                .title("Imported key material deleted: " + key)
                .summary(e.principal() + " deleted the imported key material. The key is unusable, and data "
                        + "under it is unreadable, until the same material is imported again.")
                .runbook(Runbooks.forKey(key, e.awsRegion(), List.of(
                        "Who holds a copy of the key material? Without it the data is lost.",
                        "Did the same principal import the material recently (key-material-imported)?"),
                        "aws kms get-parameters-for-import --key-id " + key
                                + " --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096 --region "
                                + e.awsRegion()))
                .build());
    }
}
