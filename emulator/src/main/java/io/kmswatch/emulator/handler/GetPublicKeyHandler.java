package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * GetPublicKey: the DER SubjectPublicKeyInfo of an RSA or ECC key (what openssl reads with -pubin -inform DER).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html">GetPublicKey</a>
 */
public final class GetPublicKeyHandler implements OperationHandler<GetPublicKeyRequest, GetPublicKeyResponse> {
    @Override
    public String operation() {
        return "GetPublicKey";
    }

    @Override
    public Class<GetPublicKeyRequest> requestType() {
        return GetPublicKeyRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public GetPublicKeyResponse handle(GetPublicKeyRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.grantTokens(r.grantTokens());
        KmsKey key = ctx.resolveKey(r.keyId());
        key.requireStateFor(operation());
        if (!key.isAsymmetric()) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn() + " key spec is "
                    + key.keySpec() + " which is not valid for GetPublicKey.");
        }
        ctx.authorize(key, "kms:GetPublicKey");
        boolean enc = "ENCRYPT_DECRYPT".equals(key.keyUsage());
        return new GetPublicKeyResponse(key.arn(), Blob.wrap(key.currentMaterial().publicKey()), key.keySpec(),
                key.keySpec(), key.keyUsage(),
                enc ? io.kmswatch.emulator.crypto.CryptoCore.encryptionAlgorithms(key.keySpec()) : null,
                enc ? null : io.kmswatch.emulator.crypto.CryptoCore.signingAlgorithms(key.keySpec()));
    }
}
