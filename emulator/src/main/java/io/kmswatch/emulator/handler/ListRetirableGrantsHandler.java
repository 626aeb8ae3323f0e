package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ListRetirableGrants: grants, in the caller's account, whose retiring principal is the given principal.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html">ListRetirableGrants</a>
 */
public final class ListRetirableGrantsHandler implements OperationHandler<ListRetirableGrantsRequest, ListGrantsResponse> {
    @Override
    public String operation() {
        return "ListRetirableGrants";
    }

    @Override
    public Class<ListRetirableGrantsRequest> requestType() {
        return ListRetirableGrantsRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public ListGrantsResponse handle(ListRetirableGrantsRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        Validation.required(r.retiringPrincipal(), "retiringPrincipal");
        Grants.checkPrincipal(r.retiringPrincipal(), "retiringPrincipal");
        ctx.authorizeKeyless("kms:ListRetirableGrants");
        java.util.List<GrantListEntry> all = ctx.services().store().allGrants().stream()
                .filter(g -> r.retiringPrincipal().equals(g.retiringPrincipal()))
                .filter(g -> g.keyArn().contains(":kms:" + ctx.region() + ":" + ctx.caller().accountId() + ":"))
                .map(Grants::entry).toList();
        Paging.Page<GrantListEntry> p = Paging.page(all, r.limit(), r.marker(), 50);
        return new ListGrantsResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
