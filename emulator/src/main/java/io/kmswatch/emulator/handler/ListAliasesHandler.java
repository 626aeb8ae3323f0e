package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.AliasListEntry;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.ListAliasesRequest;
import io.kmswatch.emulator.api.ListAliasesResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Paging;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.state.KmsKey;

import java.util.List;

/**
 * ListAliases: the caller's aliases in the region, optionally only those of one key (key id or ARN).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html">ListAliases</a>
 */
public final class ListAliasesHandler implements OperationHandler<ListAliasesRequest, ListAliasesResponse> {
    @Override
    public String operation() {
        return "ListAliases";
    }

    @Override
    public Class<ListAliasesRequest> requestType() {
        return ListAliasesRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ListAliasesResponse handle(ListAliasesRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        String filter = null;
        if (r.keyId() != null) {
            KmsKey key = ctx.resolveKey(r.keyId(), "keyId", false);
            filter = key.keyId();
        }
        ctx.authorizeKeyless("kms:ListAliases");
        String f = filter;
        List<AliasListEntry> all = ctx.services().store().aliases(ctx.caller().accountId(), ctx.region()).stream()
                .filter(a -> f == null || a.targetKeyId().equals(f))
                .map(a -> new AliasListEntry(a.aliasName(), a.aliasArn(), a.targetKeyId(), a.creationDate(),
                        a.lastUpdatedDate()))
                .toList();
        Paging.Page<AliasListEntry> p = Paging.page(all, r.limit(), r.marker(), 100);
        return new ListAliasesResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
