package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.ReEncryptRequest;
import io.kmswatch.emulator.api.ReEncryptResponse;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.state.KmsKey;

import java.util.Arrays;

/**
 * ReEncrypt: decrypts under the source key (kms:ReEncryptFrom) and encrypts under the destination key
 * (kms:ReEncryptTo) inside the emulator; the plaintext never reaches the caller and is cleared.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html">ReEncrypt</a>
 */
public final class ReEncryptHandler implements OperationHandler<ReEncryptRequest, ReEncryptResponse> {
    @Override
    public String operation() {
        return "ReEncrypt";
    }

    @Override
    public Class<ReEncryptRequest> requestType() {
        return ReEncryptRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ReEncryptResponse handle(ReEncryptRequest r, CallContext ctx) {
        Validation.requiredBlob(r.ciphertextBlob(), "ciphertextBlob", 1, 6144);
        Validation.requireKeyId(r.destinationKeyId(), "destinationKeyId");
        Validation.oneOf(r.destinationEncryptionAlgorithm(), "destinationEncryptionAlgorithm",
                Keys.ENCRYPTION_ALGORITHMS);
        Validation.grantTokens(r.grantTokens());
        Validation.encryptionContext(r.destinationEncryptionContext(), "destinationEncryptionContext");
        Ciphertexts.Opened o = Ciphertexts.open(ctx, r.ciphertextBlob(), r.sourceKeyId(),
                r.sourceEncryptionContext(), r.sourceEncryptionAlgorithm(), operation(),
                "kms:ReEncryptFrom", "sourceKeyId");
        try {
            KmsKey dest = ctx.resolveKey(r.destinationKeyId(), "destinationKeyId", true);
            dest.requireStateFor(operation());
            dest.requireUsage("ENCRYPT_DECRYPT", "ReEncrypt");
            ctx.authorize(dest, "kms:ReEncryptTo", r.destinationEncryptionContext());
            CallContext.checkDryRun(r.dryRun());
            byte[] blob = Ciphertexts.seal(ctx, dest, o.plaintext(), r.destinationEncryptionContext(),
                    r.destinationEncryptionAlgorithm(), "ReEncrypt");
            return new ReEncryptResponse(Blob.wrap(blob), o.key().arn(), dest.arn(), o.algorithm(),
                    r.destinationEncryptionAlgorithm() == null ? "SYMMETRIC_DEFAULT"
                            : r.destinationEncryptionAlgorithm());
        } finally {
            Arrays.fill(o.plaintext(), (byte) 0);
        }
    }
}
