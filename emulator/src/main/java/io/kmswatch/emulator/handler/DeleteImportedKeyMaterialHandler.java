package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * DeleteImportedKeyMaterial: deletes imported material; the key becomes PendingImport until the same material is imported again.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html">DeleteImportedKeyMaterial</a>
 */
public final class DeleteImportedKeyMaterialHandler implements OperationHandler<KeyIdRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "DeleteImportedKeyMaterial";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public EmptyResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        if (!"EXTERNAL".equals(key.origin())) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn()
                    + " origin is " + key.origin() + " which is not valid for this operation.");
        }
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:DeleteImportedKeyMaterial");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            ctx.services().store().putKey(current.toBuilder().materials(java.util.List.of())
                    .keyState(KeyState.PENDING_IMPORT).validTo(null).build());
            return null;
        });
        return new EmptyResponse();
    }
}
