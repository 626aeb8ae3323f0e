package io.kmswatch.emulator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.EncryptRequest;
import io.kmswatch.emulator.api.EncryptResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.state.KmsKey;

/**
 * Encrypt: up to 4096 bytes under a symmetric key (AES-256-GCM, context as AAD) or an RSA key (OAEP).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html">Encrypt</a>
 */
public final class EncryptHandler implements OperationHandler<EncryptRequest, EncryptResponse> {
    @Override
    public String operation() {
        return "Encrypt";
    }

    @Override
    public Class<EncryptRequest> requestType() {
        return EncryptRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public EncryptResponse handle(EncryptRequest r, CallContext ctx) {
        try {
            Validation.requireKeyId(r.keyId(), "keyId");
            Validation.requiredBlob(r.plaintext(), "plaintext", 1, 4096);
            Validation.oneOf(r.encryptionAlgorithm(), "encryptionAlgorithm", Keys.ENCRYPTION_ALGORITHMS);
            Validation.grantTokens(r.grantTokens());
            Validation.encryptionContext(r.encryptionContext(), "encryptionContext");
            KmsKey key = ctx.resolveKey(r.keyId());
            key.requireStateFor(operation());
            key.requireUsage("ENCRYPT_DECRYPT", "Encrypt");
            ctx.authorize(key, "kms:Encrypt", r.encryptionContext());
            io.kmswatch.emulator.api.CallContext.checkDryRun(r.dryRun());
            byte[] blob = Ciphertexts.seal(ctx, key, r.plaintext().unsafeBytes(), r.encryptionContext(),
                    r.encryptionAlgorithm(), "Encrypt");
            return new EncryptResponse(Blob.wrap(blob), key.arn(),
                    r.encryptionAlgorithm() == null ? "SYMMETRIC_DEFAULT" : r.encryptionAlgorithm());
        } finally {
            if (r.plaintext() != null) {
                r.plaintext().clear();
            }
        }
    }

    @Override
    public JsonNode requestParameters(EncryptRequest request) {
        ObjectNode o = (ObjectNode) OperationHandler.super.requestParameters(request);
        if (!o.has("encryptionAlgorithm")) {
            o.put("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        }
        return o;
    }
}
