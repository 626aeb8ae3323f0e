package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * Verify: a signature that does not verify is KMSInvalidSignatureException, not SignatureValid=false.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html">Verify</a>
 */
public final class VerifyHandler implements OperationHandler<VerifyRequest, VerifyResponse> {
    @Override
    public String operation() {
        return "Verify";
    }

    @Override
    public Class<VerifyRequest> requestType() {
        return VerifyRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public VerifyResponse handle(VerifyRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.requiredBlob(r.signature(), "signature", 1, 6144);
        Validation.grantTokens(r.grantTokens());
        KmsKey key = ctx.resolveKey(r.keyId());
        key.requireStateFor(operation());
        boolean digest = Signatures.check(key, r.message(), r.messageType(), r.signingAlgorithm(), "Verify");
        ctx.authorize(key, "kms:Verify");
        CallContext.checkDryRun(r.dryRun());
        if (!ctx.services().crypto().verify(key.currentMaterial(), key.keySpec(), r.signingAlgorithm(), digest,
                r.message().unsafeBytes(), r.signature().unsafeBytes())) {
            throw new KmsServiceException(KmsErrorCode.KMS_INVALID_SIGNATURE, null);
        }
        return new VerifyResponse(key.arn(), true, r.signingAlgorithm());
    }
}
