package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * TagResource: adds or replaces tags (keys 1–128, values 0–256 characters, at most 50, no aws: prefix).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html">TagResource</a>
 */
public final class TagResourceHandler implements OperationHandler<TagResourceRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "TagResource";
    }

    @Override
    public Class<TagResourceRequest> requestType() {
        return TagResourceRequest.class;
    }

    @Override
    public EmptyResponse handle(TagResourceRequest r, CallContext ctx) {
        Validation.required(r.tags(), "tags");
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:TagResource");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            ctx.services().store().putKey(current.toBuilder().tags(Keys.tags(current.tags(), r.tags())).build());
            return null;
        });
        return new EmptyResponse();
    }
}
