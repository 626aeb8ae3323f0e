package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * GetKeyPolicy: returns the key policy (KMS does not log it in the trail).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html">GetKeyPolicy</a>
 */
public final class GetKeyPolicyHandler implements OperationHandler<GetKeyPolicyRequest, GetKeyPolicyResponse> {
    @Override
    public String operation() {
        return "GetKeyPolicy";
    }

    @Override
    public Class<GetKeyPolicyRequest> requestType() {
        return GetKeyPolicyRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public GetKeyPolicyResponse handle(GetKeyPolicyRequest r, CallContext ctx) {
        if (r.policyName() != null && !"default".equals(r.policyName())) {
            throw KmsServiceException.notFound("No such policy exists: " + r.policyName());
        }
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        ctx.authorize(key, "kms:GetKeyPolicy");
        return new GetKeyPolicyResponse(key.policy(), "default");
    }
}
