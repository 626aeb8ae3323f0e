package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.GenerateDataKeyPairWithoutPlaintextRequest;
import io.kmswatch.emulator.api.GenerateDataKeyPairWithoutPlaintextResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.state.KmsKey;

import java.security.KeyPair;

/**
 * GenerateDataKeyPairWithoutPlaintext: an RSA or ECC key pair; the PKCS#8 private key is encrypted under a symmetric
 * key, the public key is DER SubjectPublicKeyInfo.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html">GenerateDataKeyPairWithoutPlaintext</a>
 */
public final class GenerateDataKeyPairWithoutPlaintextHandler
        implements OperationHandler<GenerateDataKeyPairWithoutPlaintextRequest, GenerateDataKeyPairWithoutPlaintextResponse> {
    @Override
    public String operation() {
        return "GenerateDataKeyPairWithoutPlaintext";
    }

    @Override
    public Class<GenerateDataKeyPairWithoutPlaintextRequest> requestType() {
        return GenerateDataKeyPairWithoutPlaintextRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public GenerateDataKeyPairWithoutPlaintextResponse handle(GenerateDataKeyPairWithoutPlaintextRequest r, CallContext ctx) {
        DataKeys.checkPairSpec(r.keyPairSpec());
        KmsKey key = DataKeys.key(ctx, r.keyId(), r.encryptionContext(), r.grantTokens(), operation());
        CallContext.checkDryRun(r.dryRun());
        KeyPair pair = ctx.services().crypto().generateKeyPair(r.keyPairSpec());
        byte[] priv = pair.getPrivate().getEncoded();
        byte[] pub = pair.getPublic().getEncoded();
        try {
            byte[] blob = Ciphertexts.seal(ctx, key, priv, r.encryptionContext(), null, operation());
            return new GenerateDataKeyPairWithoutPlaintextResponse(Blob.wrap(blob), Blob.wrap(pub), key.arn(), r.keyPairSpec());
        } finally {
            java.util.Arrays.fill(priv, (byte) 0);
        }
    }
}
