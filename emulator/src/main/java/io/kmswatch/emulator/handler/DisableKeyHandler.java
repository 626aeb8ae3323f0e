package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * DisableKey: sets an Enabled key to Disabled; crypto operations then fail with DisabledException.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html">DisableKey</a>
 */
public final class DisableKeyHandler implements OperationHandler<KeyIdRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "DisableKey";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public EmptyResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:DisableKey");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            if (current.keyState() == KeyState.ENABLED) {
                ctx.services().store().putKey(current.toBuilder().keyState(KeyState.DISABLED).build());
            }
            return null;
        });
        return new EmptyResponse();
    }
}
