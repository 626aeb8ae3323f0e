package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * RetireGrant: retires a grant named by its token, or by key and grant id; allowed for the retiring principal,
 * the grantee (when the grant allows RetireGrant) and what the key policy allows (the evaluator decides).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html">RetireGrant</a>
 */
public final class RetireGrantHandler implements OperationHandler<RetireGrantRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "RetireGrant";
    }

    @Override
    public Class<RetireGrantRequest> requestType() {
        return RetireGrantRequest.class;
    }

    @Override
    public EmptyResponse handle(RetireGrantRequest r, CallContext ctx) {
        Validation.length(r.grantToken(), "grantToken", 1, 8192);
        String keyArn;
        String grantId;
        if (r.grantToken() != null) {
            GrantTokens.Decoded d = GrantTokens.decode(r.grantToken());
            if (d == null) {
                throw new KmsServiceException(KmsErrorCode.INVALID_GRANT_TOKEN, "Invalid grant token.");
            }
            keyArn = d.keyArn();
            grantId = d.grantId();
        } else {
            Validation.required(r.keyId(), "keyId");
            Validation.required(r.grantId(), "grantId");
            keyArn = null;
            grantId = r.grantId();
        }
        KmsKey key = ctx.resolveKey(keyArn != null ? keyArn : r.keyId(), "keyId", false);
        Grant grant = ctx.services().store().grants(key.arn()).stream().filter(g -> g.grantId().equals(grantId))
                .findFirst().orElseThrow(() -> r.grantToken() != null
                        ? new KmsServiceException(KmsErrorCode.INVALID_GRANT_TOKEN, "Invalid grant token.")
                        : new KmsServiceException(KmsErrorCode.INVALID_GRANT_ID, "Grant ID " + grantId + " is not valid."));
        ctx.authorize(key, "kms:RetireGrant", null, null, java.util.List.of(grant));
        CallContext.checkDryRun(r.dryRun());
        ctx.services().store().deleteGrant(key.arn(), grantId);
        return new EmptyResponse();
    }
}
