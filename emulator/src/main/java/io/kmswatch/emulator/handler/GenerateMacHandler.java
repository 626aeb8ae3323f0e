package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * GenerateMac: HMAC of a message with an HMAC key; the algorithm must match the key spec.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html">GenerateMac</a>
 */
public final class GenerateMacHandler implements OperationHandler<GenerateMacRequest, GenerateMacResponse> {
    @Override
    public String operation() {
        return "GenerateMac";
    }

    @Override
    public Class<GenerateMacRequest> requestType() {
        return GenerateMacRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }
    @Override
    public GenerateMacResponse handle(GenerateMacRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.requiredBlob(r.message(), "message", 1, 4096);
        Validation.required(r.macAlgorithm(), "macAlgorithm");
        Validation.oneOf(r.macAlgorithm(), "macAlgorithm", Keys.MAC_ALGORITHMS);
        Validation.grantTokens(r.grantTokens());
        KmsKey key = ctx.resolveKey(r.keyId());
        key.requireStateFor(operation());
        key.requireUsage("GENERATE_VERIFY_MAC", "GenerateMac");
        Macs.checkAlgorithm(key, r.macAlgorithm());
        ctx.authorize(key, "kms:GenerateMac");
        CallContext.checkDryRun(r.dryRun());
        byte[] mac = ctx.services().crypto().mac(key.currentMaterial(), r.macAlgorithm(), r.message().unsafeBytes());
        return new GenerateMacResponse(Blob.wrap(mac), r.macAlgorithm(), key.arn());
    }
}
