package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * GetKeyRotationStatus: whether automatic rotation is on, its period and next date.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html">GetKeyRotationStatus</a>
 */
public final class GetKeyRotationStatusHandler implements OperationHandler<KeyIdRequest, GetKeyRotationStatusResponse> {
    @Override
    public String operation() {
        return "GetKeyRotationStatus";
    }

    @Override
    public Class<KeyIdRequest> requestType() {
        return KeyIdRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public GetKeyRotationStatusResponse handle(KeyIdRequest r, CallContext ctx) {
        KmsKey key = ctx.resolveKey(r.keyId(), "keyId", false);
        key.requireStateFor(operation());
        if (!key.isSymmetric()) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    key.arn() + " key spec is " + key.keySpec() + " which is not valid for GetKeyRotationStatus.");
        }
        ctx.authorize(key, "kms:GetKeyRotationStatus");
        return new GetKeyRotationStatusResponse(key.rotationEnabled(), key.arn(),
                key.rotationEnabled() ? key.rotationPeriodInDays() : null,
                key.rotationEnabled() ? key.nextRotationDate() : null, null);
    }
}
