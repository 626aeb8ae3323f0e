package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ListKeyRotations: every completed rotation (automatic and on-demand) of a key, oldest first.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html">ListKeyRotations</a>
 */
public final class ListKeyRotationsHandler implements OperationHandler<ListKeyRotationsRequest, ListKeyRotationsResponse> {
    @Override
    public String operation() {
        return "ListKeyRotations";
    }

    @Override
    public Class<ListKeyRotationsRequest> requestType() {
        return ListKeyRotationsRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public ListKeyRotationsResponse handle(ListKeyRotationsRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        Keys.requireRotatable(key);
        ctx.authorize(key, "kms:ListKeyRotations");
        java.util.List<RotationsListEntry> all = key.materials().stream().filter(m -> m.rotationType() != null)
                .map(m -> new RotationsListEntry(key.arn(), m.createdAt(), m.rotationType(), m.materialId()))
                .toList();
        Paging.Page<RotationsListEntry> p = Paging.page(all, r.limit(), r.marker(), 100);
        return new ListKeyRotationsResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
