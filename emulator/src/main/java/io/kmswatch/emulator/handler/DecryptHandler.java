package io.kmswatch.emulator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.DecryptRequest;
import io.kmswatch.emulator.api.DecryptResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Validation;

/**
 * Decrypt: the key comes from the ciphertext blob (a KeyId naming another key is IncorrectKeyException); a wrong
 * context or a tampered blob is InvalidCiphertextException; asymmetric ciphertexts need KeyId and algorithm.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html">Decrypt</a>
 */
public final class DecryptHandler implements OperationHandler<DecryptRequest, DecryptResponse> {
    @Override
    public String operation() {
        return "Decrypt";
    }

    @Override
    public Class<DecryptRequest> requestType() {
        return DecryptRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public DecryptResponse handle(DecryptRequest r, CallContext ctx) {
        Validation.requiredBlob(r.ciphertextBlob(), "ciphertextBlob", 1, 6144);
        Validation.grantTokens(r.grantTokens());
        Ciphertexts.Opened o = Ciphertexts.open(ctx, r.ciphertextBlob(), r.keyId(), r.encryptionContext(),
                r.encryptionAlgorithm(), operation(), "kms:Decrypt", "keyId");
        try {
            CallContext.checkDryRun(r.dryRun());
        } catch (RuntimeException e) {
            java.util.Arrays.fill(o.plaintext(), (byte) 0);
            throw e;
        }
        ctx.putAdditional("keyMaterialId", o.materialId());
        // The response owns the plaintext array now; it is serialized once and dropped.
        return new DecryptResponse(o.key().arn(), Blob.wrap(o.plaintext()), o.algorithm(), null);
    }

    @Override
    public JsonNode requestParameters(DecryptRequest request) {
        ObjectNode o = (ObjectNode) OperationHandler.super.requestParameters(request);
        if (!o.has("encryptionAlgorithm")) {
            o.put("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        }
        return o;
    }
}
