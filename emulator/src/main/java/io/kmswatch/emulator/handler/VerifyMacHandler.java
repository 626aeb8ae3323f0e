package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * VerifyMac: a MAC that does not match is KMSInvalidMacException.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html">VerifyMac</a>
 */
public final class VerifyMacHandler implements OperationHandler<VerifyMacRequest, VerifyMacResponse> {
    @Override
    public String operation() {
        return "VerifyMac";
    }

    @Override
    public Class<VerifyMacRequest> requestType() {
        return VerifyMacRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public VerifyMacResponse handle(VerifyMacRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.requiredBlob(r.message(), "message", 1, 4096);
        Validation.requiredBlob(r.mac(), "mac", 1, 6144);
        Validation.required(r.macAlgorithm(), "macAlgorithm");
        Validation.oneOf(r.macAlgorithm(), "macAlgorithm", Keys.MAC_ALGORITHMS);
        Validation.grantTokens(r.grantTokens());
        KmsKey key = ctx.resolveKey(r.keyId());
        key.requireStateFor(operation());
        key.requireUsage("GENERATE_VERIFY_MAC", "VerifyMac");
        Macs.checkAlgorithm(key, r.macAlgorithm());
        ctx.authorize(key, "kms:VerifyMac");
        CallContext.checkDryRun(r.dryRun());
        byte[] mac = ctx.services().crypto().mac(key.currentMaterial(), r.macAlgorithm(), r.message().unsafeBytes());
        if (!io.kmswatch.emulator.crypto.CryptoCore.equalsConstantTime(mac, r.mac().unsafeBytes())) {
            throw new KmsServiceException(KmsErrorCode.KMS_INVALID_MAC, null);
        }
        return new VerifyMacResponse(key.arn(), true, r.macAlgorithm());
    }
}
