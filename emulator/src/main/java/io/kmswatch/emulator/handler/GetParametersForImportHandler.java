package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * GetParametersForImport: an RSA wrapping public key (RSAES_OAEP_SHA_1 or _256; RSA_2048/3072/4096) and an import token valid
 * for 24 hours, for a key whose origin is EXTERNAL.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html">GetParametersForImport</a>
 */
public final class GetParametersForImportHandler implements OperationHandler<GetParametersForImportRequest, GetParametersForImportResponse> {
    @Override
    public String operation() {
        return "GetParametersForImport";
    }

    @Override
    public Class<GetParametersForImportRequest> requestType() {
        return GetParametersForImportRequest.class;
    }

    @Override
    public GetParametersForImportResponse handle(GetParametersForImportRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.required(r.wrappingAlgorithm(), "wrappingAlgorithm");
        Validation.oneOf(r.wrappingAlgorithm(), "wrappingAlgorithm", java.util.List.of("RSAES_PKCS1_V1_5",
                "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE"));
        Validation.required(r.wrappingKeySpec(), "wrappingKeySpec");
        Validation.oneOf(r.wrappingKeySpec(), "wrappingKeySpec", java.util.List.of("RSA_2048", "RSA_3072", "RSA_4096", "SM2"));
        if (!r.wrappingAlgorithm().startsWith("RSAES_OAEP") || r.wrappingKeySpec().equals("SM2")) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, "Wrapping algorithm "
                    + r.wrappingAlgorithm() + " with " + r.wrappingKeySpec() + " is not supported by this emulator.");
        }
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        if (!"EXTERNAL".equals(key.origin())) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn()
                    + " origin is " + key.origin() + " which is not valid for this operation.");
        }
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:GetParametersForImport");
        java.security.KeyPair pair = ctx.services().crypto().generateKeyPair(r.wrappingKeySpec());
        byte[] token = io.kmswatch.emulator.crypto.CryptoCore.randomBytes(64);
        java.time.Instant validTo = ctx.now().plus(java.time.Duration.ofHours(24));
        ctx.services().imports().put(java.util.Base64.getEncoder().encodeToString(token),
                new Services.ImportParameters(key.arn(), r.wrappingAlgorithm(), pair.getPrivate(), validTo));
        return new GetParametersForImportResponse(key.arn(), Blob.wrap(token), Blob.wrap(pair.getPublic().getEncoded()),
                validTo);
    }
}
