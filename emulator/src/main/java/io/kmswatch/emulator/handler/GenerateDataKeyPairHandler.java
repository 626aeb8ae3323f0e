package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.GenerateDataKeyPairRequest;
import io.kmswatch.emulator.api.GenerateDataKeyPairResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.state.KmsKey;

import java.security.KeyPair;

/**
 * GenerateDataKeyPair: an RSA or ECC key pair; the PKCS#8 private key is encrypted under a symmetric
 * key, the public key is DER SubjectPublicKeyInfo.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html">GenerateDataKeyPair</a>
 */
public final class GenerateDataKeyPairHandler
        implements OperationHandler<GenerateDataKeyPairRequest, GenerateDataKeyPairResponse> {
    @Override
    public String operation() {
        return "GenerateDataKeyPair";
    }

    @Override
    public Class<GenerateDataKeyPairRequest> requestType() {
        return GenerateDataKeyPairRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public GenerateDataKeyPairResponse handle(GenerateDataKeyPairRequest r, CallContext ctx) {
        DataKeys.checkPairSpec(r.keyPairSpec());
        KmsKey key = DataKeys.key(ctx, r.keyId(), r.encryptionContext(), r.grantTokens(), operation());
        CallContext.checkDryRun(r.dryRun());
        KeyPair pair = ctx.services().crypto().generateKeyPair(r.keyPairSpec());
        byte[] priv = pair.getPrivate().getEncoded();
        byte[] pub = pair.getPublic().getEncoded();
        byte[] blob = Ciphertexts.seal(ctx, key, priv, r.encryptionContext(), null, operation());
        return new GenerateDataKeyPairResponse(Blob.wrap(blob), Blob.wrap(priv), Blob.wrap(pub), key.arn(), r.keyPairSpec());
    }
}
