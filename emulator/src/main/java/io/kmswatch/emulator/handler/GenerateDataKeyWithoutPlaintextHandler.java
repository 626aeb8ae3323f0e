package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.GenerateDataKeyWithoutPlaintextRequest;
import io.kmswatch.emulator.api.GenerateDataKeyWithoutPlaintextResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.state.KmsKey;

/**
 * GenerateDataKeyWithoutPlaintext: a random data key (KeySpec or NumberOfBytes) encrypted under a symmetric key; the plaintext copy is
 * cleared and never returned.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html">GenerateDataKeyWithoutPlaintext</a>
 */
public final class GenerateDataKeyWithoutPlaintextHandler
        implements OperationHandler<GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse> {
    @Override
    public String operation() {
        return "GenerateDataKeyWithoutPlaintext";
    }

    @Override
    public Class<GenerateDataKeyWithoutPlaintextRequest> requestType() {
        return GenerateDataKeyWithoutPlaintextRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public GenerateDataKeyWithoutPlaintextResponse handle(GenerateDataKeyWithoutPlaintextRequest r, CallContext ctx) {
        int n = DataKeys.length(r.keySpec(), r.numberOfBytes());
        KmsKey key = DataKeys.key(ctx, r.keyId(), r.encryptionContext(), r.grantTokens(), operation());
        CallContext.checkDryRun(r.dryRun());
        byte[] dataKey = DataKeys.random(n);
        try {
            byte[] blob = Ciphertexts.seal(ctx, key, dataKey, r.encryptionContext(), null, operation());
            return new GenerateDataKeyWithoutPlaintextResponse(Blob.wrap(blob), key.arn());
        } finally {
            java.util.Arrays.fill(dataKey, (byte) 0);
        }
    }
}
