package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ListGrants: the grants of a key, optionally filtered by grant id or grantee.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html">ListGrants</a>
 */
public final class ListGrantsHandler implements OperationHandler<ListGrantsRequest, ListGrantsResponse> {
    @Override
    public String operation() {
        return "ListGrants";
    }

    @Override
    public Class<ListGrantsRequest> requestType() {
        return ListGrantsRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public ListGrantsResponse handle(ListGrantsRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        KmsKey key = ctx.resolveKey(r.keyId(), "keyId", false);
        ctx.authorize(key, "kms:ListGrants");
        if (r.grantId() != null && ctx.services().store().grants(key.arn()).stream()
                .noneMatch(g -> g.grantId().equals(r.grantId()))) {
            throw new KmsServiceException(KmsErrorCode.INVALID_GRANT_ID, "Grant ID " + r.grantId() + " is not valid.");
        }
        java.util.List<GrantListEntry> all = ctx.services().store().grants(key.arn()).stream()
                .filter(g -> r.grantId() == null || g.grantId().equals(r.grantId()))
                .filter(g -> r.granteePrincipal() == null || g.granteePrincipal().equals(r.granteePrincipal()))
                .map(Grants::entry).toList();
        Paging.Page<GrantListEntry> p = Paging.page(all, r.limit(), r.marker(), 50);
        return new ListGrantsResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
