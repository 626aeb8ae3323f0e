package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ImportKeyMaterial: unwraps 256-bit key material with the import token's private key; a key that had material before
 * accepts only the same material (IncorrectKeyMaterialException). The key becomes Enabled.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html">ImportKeyMaterial</a>
 */
public final class ImportKeyMaterialHandler implements OperationHandler<ImportKeyMaterialRequest, ImportKeyMaterialResponse> {
    @Override
    public String operation() {
        return "ImportKeyMaterial";
    }

    @Override
    public Class<ImportKeyMaterialRequest> requestType() {
        return ImportKeyMaterialRequest.class;
    }

    @Override
    public ImportKeyMaterialResponse handle(ImportKeyMaterialRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.requiredBlob(r.importToken(), "importToken", 1, 6144);
        Validation.requiredBlob(r.encryptedKeyMaterial(), "encryptedKeyMaterial", 1, 6144);
        Validation.oneOf(r.expirationModel(), "expirationModel", java.util.List.of("KEY_MATERIAL_EXPIRES",
                "KEY_MATERIAL_DOES_NOT_EXPIRE"));
        String model = r.expirationModel() != null ? r.expirationModel()
                : r.validTo() != null ? "KEY_MATERIAL_EXPIRES" : "KEY_MATERIAL_DOES_NOT_EXPIRE";
        if (model.equals("KEY_MATERIAL_EXPIRES") && r.validTo() == null) {
            throw KmsServiceException.validation("A ValidTo date is required when ExpirationModel is KEY_MATERIAL_EXPIRES.");
        }
        if (model.equals("KEY_MATERIAL_DOES_NOT_EXPIRE") && r.validTo() != null) {
            throw KmsServiceException.validation("ValidTo must not be set when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
        }
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        if (!"EXTERNAL".equals(key.origin())) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn()
                    + " origin is " + key.origin() + " which is not valid for this operation.");
        }
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:ImportKeyMaterial");
        String tokenKey = r.importToken().toBase64();
        Services.ImportParameters params = ctx.services().imports().get(tokenKey);
        if (params == null || !params.keyArn().equals(key.arn())) {
            throw new KmsServiceException(KmsErrorCode.INVALID_IMPORT_TOKEN, "The import token is invalid.");
        }
        if (ctx.now().isAfter(params.validTo())) {
            ctx.services().imports().remove(tokenKey);
            throw new KmsServiceException(KmsErrorCode.EXPIRED_IMPORT_TOKEN, "The import token has expired.");
        }
        byte[] material = io.kmswatch.emulator.crypto.CryptoCore.rsaDecrypt(params.wrappingKey(),
                params.wrappingAlgorithm(), r.encryptedKeyMaterial().unsafeBytes());
        try {
            if (material.length != 32) {
                throw new KmsServiceException(KmsErrorCode.INCORRECT_KEY_MATERIAL,
                        "Imported key material for a SYMMETRIC_DEFAULT key must be 256 bits.");
            }
            String digest = io.kmswatch.emulator.crypto.CryptoCore.sha256Hex(material);
            KeyMaterial m = new KeyMaterial(1, io.kmswatch.emulator.crypto.CryptoCore.sha256Hex(
                    (key.arn() + digest).getBytes(java.nio.charset.StandardCharsets.UTF_8)), ctx.now(), null, material, null);
            KmsKey updated = ctx.services().store().atomically(() -> {
                KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
                if (current.importedMaterialDigest() != null && !current.importedMaterialDigest().equals(digest)) {
                    throw new KmsServiceException(KmsErrorCode.INCORRECT_KEY_MATERIAL, "The key material doesn't match the key material previously imported into this KMS key.");
                }
                KmsKey u = current.toBuilder().materials(java.util.List.of(m)).importedMaterialDigest(digest)
                        .expirationModel(model).validTo(r.validTo())
                        .keyState(current.keyState() == KeyState.PENDING_IMPORT ? KeyState.ENABLED : current.keyState())
                        .build();
                ctx.services().store().putKey(u);
                return u;
            });
            ctx.services().imports().remove(tokenKey);
            ctx.putAdditional("keyMaterialId", m.materialId());
            return new ImportKeyMaterialResponse(updated.arn(), m.materialId());
        } finally {
            java.util.Arrays.fill(material, (byte) 0);
        }
    }
}
