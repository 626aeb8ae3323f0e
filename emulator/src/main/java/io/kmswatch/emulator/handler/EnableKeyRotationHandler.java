package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * EnableKeyRotation: automatic rotation of a symmetric AWS_KMS key every RotationPeriodInDays (90–2560, default 365);
 * each rotation adds material and old ciphertexts keep decrypting.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html">EnableKeyRotation</a>
 */
public final class EnableKeyRotationHandler implements OperationHandler<EnableKeyRotationRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "EnableKeyRotation";
    }

    @Override
    public Class<EnableKeyRotationRequest> requestType() {
        return EnableKeyRotationRequest.class;
    }

    @Override
    public EmptyResponse handle(EnableKeyRotationRequest r, CallContext ctx) {
        Validation.range(r.rotationPeriodInDays(), "rotationPeriodInDays", 90, 2560);
        int days = r.rotationPeriodInDays() == null ? 365 : r.rotationPeriodInDays();
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        Keys.requireRotatable(key);
        ctx.authorize(key, "kms:EnableKeyRotation");
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            ctx.services().store().putKey(current.toBuilder().rotationEnabled(true).rotationPeriodInDays(days)
                    .nextRotationDate(ctx.now().plus(java.time.Duration.ofDays(days))).build());
            return null;
        });
        return new EmptyResponse();
    }
}
