package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * RotateKeyOnDemand: rotates now: new material, old ciphertexts still decrypt; a RotateKey service event follows.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html">RotateKeyOnDemand</a>
 */
public final class RotateKeyOnDemandHandler implements OperationHandler<KeyIdRequest, KeyIdResponse> {
    @Override
    public String operation() {
        return "RotateKeyOnDemand";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public KeyIdResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        Keys.requireRotatable(key);
        ctx.authorize(key, "kms:RotateKeyOnDemand");
        Keys.rotate(ctx.services(), key, "ON_DEMAND", ctx.now());
        return new KeyIdResponse(key.arn());
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode responseElements(KeyIdRequest request, KeyIdResponse response) {
        return io.kmswatch.events.Json.MAPPER.createObjectNode().put("keyId", response.keyId());
    }
}
