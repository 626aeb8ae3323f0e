package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ListResourceTags: the tags of a key, paged (default 50).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html">ListResourceTags</a>
 */
public final class ListResourceTagsHandler implements OperationHandler<ListResourceTagsRequest, ListResourceTagsResponse> {
    @Override
    public String operation() {
        return "ListResourceTags";
    }

    @Override
    public Class<ListResourceTagsRequest> requestType() {
        return ListResourceTagsRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public ListResourceTagsResponse handle(ListResourceTagsRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        Validation.range(r.limit(), "limit", 1, 50);
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        ctx.authorize(key, "kms:ListResourceTags");
        Paging.Page<Tag> p = Paging.page(Keys.tagList(key.tags()), r.limit(), r.marker(), 50);
        return new ListResourceTagsResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
