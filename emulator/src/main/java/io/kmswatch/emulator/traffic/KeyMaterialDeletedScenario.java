package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Bring-your-own-key material deleted: a key with imported material (Origin EXTERNAL) is used, then its key
 * material is deleted, which makes every ciphertext under it undecryptable until the material is re-imported.
 */
final class KeyMaterialDeletedScenario implements Scenario {
    @Override
    public String type() {
        return "key-material-deleted";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("key-material-imported", "key-material-deleted");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = "byok-" + plan.index();
        plan.subject(alias, admin);
        plan.at(0.0, ctx -> Setup.createKey(ctx, "scenario", admin, alias, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", null,
                List.of(Setup.tag("Application", "byok")), false, OriginType.EXTERNAL));
        plan.at(0.1, ctx -> ctx.call("scenario", admin, "GetParametersForImport", kms -> kms.getParametersForImport(r -> r
                        .keyId(ctx.keyArn(alias)).wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                        .wrappingKeySpec(WrappingKeySpec.RSA_2048)))
                .ifPresent(params -> importMaterial(ctx, admin, alias, params)));
        plan.spread(2, 0.3, 0.5, ctx -> ctx.call("scenario", admin, "Encrypt", kms -> kms.encrypt(r -> r
                .keyId(ctx.keyArn(alias)).plaintext(SdkBytes.fromUtf8String("byok record")))));
        plan.at(0.7, ctx -> ctx.call("scenario", admin, "DeleteImportedKeyMaterial", kms -> kms.deleteImportedKeyMaterial(r -> r
                .keyId(ctx.keyArn(alias)))));
    }

    private static void importMaterial(TrafficContext ctx, String admin, String alias, GetParametersForImportResponse params) {
        byte[] material = new byte[32];
        new java.security.SecureRandom().nextBytes(material);
        ctx.tapPlaintext(material);
        byte[] wrapped;
        try {
            PublicKey wrappingKey = KeyFactory.getInstance("RSA").generatePublic(
                    new X509EncodedKeySpec(params.publicKey().asByteArray()));
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.ENCRYPT_MODE, wrappingKey, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                    PSource.PSpecified.DEFAULT));
            wrapped = rsa.doFinal(material);
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("cannot wrap key material for import", e);
        } finally {
            // The plaintext key material lives only for the wrap.
            Arrays.fill(material, (byte) 0);
        }
        ctx.call("scenario", admin, "ImportKeyMaterial", kms -> kms.importKeyMaterial(r -> r.keyId(ctx.keyArn(alias))
                .importToken(params.importToken()).encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)));
    }
}
