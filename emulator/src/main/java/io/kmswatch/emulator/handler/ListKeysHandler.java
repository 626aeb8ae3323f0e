package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.KeyListEntry;
import io.kmswatch.emulator.api.ListKeysRequest;
import io.kmswatch.emulator.api.ListKeysResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Paging;
import io.kmswatch.emulator.api.Validation;

import java.util.List;

/**
 * ListKeys: the caller's account's keys in the request's region, paged (default 100).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html">ListKeys</a>
 */
public final class ListKeysHandler implements OperationHandler<ListKeysRequest, ListKeysResponse> {
    @Override
    public String operation() {
        return "ListKeys";
    }

    @Override
    public Class<ListKeysRequest> requestType() {
        return ListKeysRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ListKeysResponse handle(ListKeysRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        ctx.authorizeKeyless("kms:ListKeys");
        List<KeyListEntry> all = ctx.services().store().keys(ctx.caller().accountId(), ctx.region()).stream()
                .map(k -> new KeyListEntry(k.keyId(), k.arn())).toList();
        Paging.Page<KeyListEntry> p = Paging.page(all, r.limit(), r.marker(), 100);
        return new ListKeysResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
