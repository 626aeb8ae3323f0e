package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.List;

/**
 * {@code key-material-imported}: a successful ImportKeyMaterial. Whoever imported the material can
 * also delete it and hold the data to ransom (the BYOK set-up step); worth a look every time.
 */
public final class KeyMaterialImportedDetection extends StatelessDetection {
    public static final String ID = "key-material-imported";

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
        if (!e.isKms() || !e.succeeded() || e.operation() != KmsOperation.IMPORT_KEY_MATERIAL || sanctioned(ke, ctx)) {
            return List.of();
        }
        String key = e.keyArn();
        Severity s = ctx.config().isTrustedPrincipal(e.principal()) ? Severity.LOW : ctx.settings().severity();
        return List.of(Findings.about(ID, s, e).fingerprintOf(key, e.eventId())
                .title("Key material imported into " + key)
                .summary(e.principal() + " imported key material. Its holder controls the key's lifetime: "
                        + "deleting the material later makes the data unreadable.")
                .attr("expirationModel", e.requestParameters().path("expirationModel").asText(null))
                .runbook(Runbooks.forKey(key, e.awsRegion(), List.of(
                        "Is this key meant to use imported (BYOK) material? Who keeps the material?",
                        "Is the material set to expire (expirationModel, validTo)?")))
                .build());
    }
}
