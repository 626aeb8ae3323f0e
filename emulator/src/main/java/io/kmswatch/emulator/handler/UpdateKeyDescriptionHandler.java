package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * UpdateKeyDescription: replaces the description (0-8192 characters).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html">UpdateKeyDescription</a>
 */
public final class UpdateKeyDescriptionHandler implements OperationHandler<UpdateKeyDescriptionRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "UpdateKeyDescription";
    }

    @Override
    public Class<UpdateKeyDescriptionRequest> requestType() {
        return UpdateKeyDescriptionRequest.class;
    }

    @Override
    public EmptyResponse handle(UpdateKeyDescriptionRequest r, CallContext ctx) {
        Validation.required(r.description(), "description");
        Validation.length(r.description(), "description", 0, 8192);
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:UpdateKeyDescription");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            ctx.services().store().putKey(current.toBuilder().description(r.description()).build());
            return null;
        });
        return new EmptyResponse();
    }
}
