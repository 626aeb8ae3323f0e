package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * PutKeyPolicy: replaces the key policy (name "default" only) after the grammar check and, unless bypassed, the
 * lockout safety check (the new policy must let the caller call PutKeyPolicy again).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html">PutKeyPolicy</a>
 */
public final class PutKeyPolicyHandler implements OperationHandler<PutKeyPolicyRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "PutKeyPolicy";
    }

    @Override
    public Class<PutKeyPolicyRequest> requestType() {
        return PutKeyPolicyRequest.class;
    }

    @Override
    public EmptyResponse handle(PutKeyPolicyRequest r, CallContext ctx) {
        Validation.required(r.policy(), "policy");
        if (r.policyName() != null && !"default".equals(r.policyName())) {
            throw Validation.fail("policyName", r.policyName(), "Member must satisfy regular expression pattern: default");
        }
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        Keys.checkPolicySyntax(r.policy());
        ctx.authorize(key, "kms:PutKeyPolicy");
        Keys.checkLockout(ctx, key.toBuilder().policy(r.policy()).build(), r.bypassPolicyLockoutSafetyCheck());
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            ctx.services().store().putKey(current.toBuilder().policy(r.policy()).build());
            return null;
        });
        return new EmptyResponse();
    }

    /** As KMS logs it: the policy (a JSON string), policyName and the lockout flag always present. */
    @Override
    public com.fasterxml.jackson.databind.JsonNode requestParameters(PutKeyPolicyRequest request) {
        com.fasterxml.jackson.databind.node.ObjectNode o =
                (com.fasterxml.jackson.databind.node.ObjectNode) OperationHandler.super.requestParameters(request);
        o.put("policyName", request.policyName() == null ? "default" : request.policyName());
        o.put("bypassPolicyLockoutSafetyCheck", Boolean.TRUE.equals(request.bypassPolicyLockoutSafetyCheck()));
        return o;
    }
}
