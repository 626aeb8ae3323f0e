package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.GenerateDataKeyRequest;
import io.kmswatch.emulator.api.GenerateDataKeyResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.state.KmsKey;

/**
 * GenerateDataKey: a random data key (KeySpec or NumberOfBytes) encrypted under a symmetric key, returned
 * also in plaintext.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html">GenerateDataKey</a>
 */
public final class GenerateDataKeyHandler
        implements OperationHandler<GenerateDataKeyRequest, GenerateDataKeyResponse> {
    @Override
    public String operation() {
        return "GenerateDataKey";
    }

    @Override
    public Class<GenerateDataKeyRequest> requestType() {
        return GenerateDataKeyRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public GenerateDataKeyResponse handle(GenerateDataKeyRequest r, CallContext ctx) {
        int n = DataKeys.length(r.keySpec(), r.numberOfBytes());
        KmsKey key = DataKeys.key(ctx, r.keyId(), r.encryptionContext(), r.grantTokens(), operation());
        CallContext.checkDryRun(r.dryRun());
        byte[] dataKey = DataKeys.random(n);
        byte[] blob = Ciphertexts.seal(ctx, key, dataKey, r.encryptionContext(), null, operation());
        return new GenerateDataKeyResponse(Blob.wrap(blob), Blob.wrap(dataKey), key.arn());
    }
}
