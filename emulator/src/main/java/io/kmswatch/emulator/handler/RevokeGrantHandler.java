package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * RevokeGrant: deletes a grant; needs kms:RevokeGrant on the key.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html">RevokeGrant</a>
 */
public final class RevokeGrantHandler implements OperationHandler<RevokeGrantRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "RevokeGrant";
    }

    @Override
    public Class<RevokeGrantRequest> requestType() {
        return RevokeGrantRequest.class;
    }

    @Override
    public EmptyResponse handle(RevokeGrantRequest r, CallContext ctx) {
        Validation.required(r.grantId(), "grantId");
        KmsKey key = ctx.resolveKey(r.keyId(), "keyId", false);
        ctx.authorize(key, "kms:RevokeGrant");
        if (ctx.services().store().grants(key.arn()).stream().noneMatch(g -> g.grantId().equals(r.grantId()))) {
            throw new KmsServiceException(KmsErrorCode.INVALID_GRANT_ID, "Grant ID " + r.grantId() + " is not valid.");
        }
        CallContext.checkDryRun(r.dryRun());
        ctx.services().store().deleteGrant(key.arn(), r.grantId());
        return new EmptyResponse();
    }
}
