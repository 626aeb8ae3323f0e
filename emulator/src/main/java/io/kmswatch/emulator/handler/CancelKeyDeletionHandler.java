package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * CancelKeyDeletion: a key pending deletion becomes Disabled; any other state is KMSInvalidStateException.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html">CancelKeyDeletion</a>
 */
public final class CancelKeyDeletionHandler implements OperationHandler<KeyIdRequest, KeyIdResponse> {
    @Override
    public String operation() {
        return "CancelKeyDeletion";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public KeyIdResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:CancelKeyDeletion");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElseThrow(
                    () -> KmsServiceException.notFound("Key '" + key.arn() + "' does not exist"));
            current.requireStateFor(operation());
            ctx.services().store().putKey(current.toBuilder().keyState(KeyState.DISABLED).deletionDate(null)
                    .pendingWindowInDays(null).build());
            return null;
        });
        return new KeyIdResponse(key.arn());
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode responseElements(KeyIdRequest request, KeyIdResponse response) {
        return io.kmswatch.events.Json.MAPPER.createObjectNode().put("keyId", response.keyId());
    }
}
