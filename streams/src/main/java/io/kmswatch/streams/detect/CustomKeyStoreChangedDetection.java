package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.List;

/**
 * {@code custom-key-store-changed}: Create/Update/Connect/Disconnect/DeleteCustomKeyStore succeeded,
 * or a key was created in a custom key store. An external key store (XKS) moves the key material
 * outside AWS — a ransomware persistence path; disconnecting or deleting one makes its keys unusable
 * and fires one level higher.
 */
public final class CustomKeyStoreChangedDetection extends StatelessDetection {
    public static final String ID = "custom-key-store-changed";

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
        if (!e.isKms() || !e.succeeded()) {
            return List.of();
        }
        KmsOperation op = e.operation();
        if (op != KmsOperation.CREATE_KEY && !op.name().contains("CUSTOM_KEY_STORE")) {
            return List.of();
        }
        String origin = e.requestParameters().path("origin").asText("");
        boolean storeOp = op == KmsOperation.CREATE_CUSTOM_KEY_STORE || op == KmsOperation.UPDATE_CUSTOM_KEY_STORE
                || op == KmsOperation.CONNECT_CUSTOM_KEY_STORE || op == KmsOperation.DISCONNECT_CUSTOM_KEY_STORE
                || op == KmsOperation.DELETE_CUSTOM_KEY_STORE;
        boolean keyInStore = op == KmsOperation.CREATE_KEY
                && ("EXTERNAL_KEY_STORE".equals(origin) || "AWS_CLOUDHSM".equals(origin));
        if (!storeOp && !keyInStore) {
            return List.of();
        }
        String storeId = e.requestParameters().path("customKeyStoreId").asText(
                e.responseElements().path("customKeyStoreId").asText(
                        e.additionalEventData().path("customKeyStoreId").asText(null)));
        Severity s = ctx.settings().severity();
        if (op == KmsOperation.DISCONNECT_CUSTOM_KEY_STORE || op == KmsOperation.DELETE_CUSTOM_KEY_STORE) {
            s = s.escalate();
        }
        if (ctx.config().isTrustedPrincipal(e.principal())) {
            s = Severity.LOW;
        }
        String account = e.recipientAccountId() != null ? e.recipientAccountId() : e.callerAccountId();
        String storeType = e.requestParameters().path("customKeyStoreType").asText(origin.isEmpty() ? null : origin);
        return List.of(Findings.about(ID, s, e).account(account).fingerprintOf(account, storeId, e.eventName())
                .title(e.eventName() + " on custom key store " + (storeId == null ? "(new)" : storeId))
                .summary(e.principal() + " called " + e.eventName() + ". Custom and external key stores hold key "
                        + "material outside KMS's own HSMs; whoever controls them controls the data.")
                .attr("eventName", e.eventName()).attr("customKeyStoreId", storeId).attr("customKeyStoreType", storeType)
                .runbook(Runbooks.forKey(e.keyArn(), e.awsRegion(), List.of(
                        "Was the key store change planned? Who operates the proxy/cluster it points at?",
                        "Which keys live in the store, and what do they protect?"),
                        "aws kms describe-custom-key-stores --region " + e.awsRegion()
                                + (storeId != null ? " --custom-key-store-id " + storeId : ""),
                        Runbooks.lookupByEventName(e.eventName(), e.awsRegion())))
                .build());
    }
}
