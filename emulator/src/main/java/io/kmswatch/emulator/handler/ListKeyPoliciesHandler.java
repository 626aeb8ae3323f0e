package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ListKeyPolicies: always the one policy name "default".
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html">ListKeyPolicies</a>
 */
public final class ListKeyPoliciesHandler implements OperationHandler<ListKeyPoliciesRequest, ListKeyPoliciesResponse> {
    @Override
    public String operation() {
        return "ListKeyPolicies";
    }

    @Override
    public Class<ListKeyPoliciesRequest> requestType() {
        return ListKeyPoliciesRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public ListKeyPoliciesResponse handle(ListKeyPoliciesRequest r, CallContext ctx) {
        Validation.limit(r.limit());
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        ctx.authorize(key, "kms:ListKeyPolicies");
        return new ListKeyPoliciesResponse(java.util.List.of("default"), null, false);
    }
}
