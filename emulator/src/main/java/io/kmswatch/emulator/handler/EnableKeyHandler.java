package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * EnableKey: sets a Disabled key to Enabled (a key pending deletion or import cannot be enabled).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html">EnableKey</a>
 */
public final class EnableKeyHandler implements OperationHandler<KeyIdRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "EnableKey";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public EmptyResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:EnableKey");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            if (current.keyState() == KeyState.DISABLED) {
                ctx.services().store().putKey(current.toBuilder().keyState(KeyState.ENABLED).build());
            }
            return null;
        });
        return new EmptyResponse();
    }
}
