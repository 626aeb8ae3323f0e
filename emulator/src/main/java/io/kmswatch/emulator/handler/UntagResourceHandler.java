package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * UntagResource: removes tags by key.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html">UntagResource</a>
 */
public final class UntagResourceHandler implements OperationHandler<UntagResourceRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "UntagResource";
    }

    @Override
    public Class<UntagResourceRequest> requestType() {
        return UntagResourceRequest.class;
    }

    @Override
    public EmptyResponse handle(UntagResourceRequest r, CallContext ctx) {
        Validation.required(r.tagKeys(), "tagKeys");
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:UntagResource");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            java.util.Map<String, String> tags = new java.util.LinkedHashMap<>(current.tags());
            r.tagKeys().forEach(tags::remove);
            ctx.services().store().putKey(current.toBuilder().tags(tags).build());
            return null;
        });
        return new EmptyResponse();
    }
}
