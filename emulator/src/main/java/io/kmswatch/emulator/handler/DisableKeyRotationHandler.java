package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * DisableKeyRotation: turns automatic rotation off; existing material stays.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html">DisableKeyRotation</a>
 */
public final class DisableKeyRotationHandler implements OperationHandler<KeyIdRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "DisableKeyRotation";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public EmptyResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        Keys.requireRotatable(key);
        ctx.authorize(key, "kms:DisableKeyRotation");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            ctx.services().store().putKey(current.toBuilder().rotationEnabled(false).nextRotationDate(null).build());
            return null;
        });
        return new EmptyResponse();
    }
}
