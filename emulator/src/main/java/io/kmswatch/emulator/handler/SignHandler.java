package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * Sign: RSA PSS/PKCS#1 v1.5 and ECDSA (DER) signatures over a message (RAW) or its digest (DIGEST).
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html">Sign</a>
 */
public final class SignHandler implements OperationHandler<SignRequest, SignResponse> {
    @Override
    public String operation() {
        return "Sign";
    }

    @Override
    public Class<SignRequest> requestType() {
        return SignRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public SignResponse handle(SignRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.grantTokens(r.grantTokens());
        KmsKey key = ctx.resolveKey(r.keyId());
        key.requireStateFor(operation());
        boolean digest = Signatures.check(key, r.message(), r.messageType(), r.signingAlgorithm(), "Sign");
        ctx.authorize(key, "kms:Sign");
        CallContext.checkDryRun(r.dryRun());
        byte[] sig = ctx.services().crypto().sign(key.currentMaterial(), key.keySpec(), r.signingAlgorithm(), digest,
                r.message().unsafeBytes());
        return new SignResponse(key.arn(), Blob.wrap(sig), r.signingAlgorithm());
    }
}
