package io.kmswatch.emulator;

import io.kmswatch.events.CloudTrailEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real AWS CLI, boto3 and openssl against the running emulator: the guide's envelope round trip with the
 * CLI and with a boto3 script, and openssl verifying RSA and ECDSA signatures with the key from get-public-key.
 * Needs {@code aws}, {@code python3} with boto3 and cryptography, and {@code openssl} on the PATH.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliToolsIT {
    private EmulatorFixture fx;
    private KmsClient kms;
    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(EmulatorConfig.defaults());
        kms = fx.admin();
    }

    @AfterAll
    void stop() {
        fx.recordsSnapshot().forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        fx.close();
    }

    private String run(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", EmulatorFixture.ADMIN_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmulatorFixture.ADMIN_SECRET);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s failed: %s", String.join(" ", cmd), new String(err, StandardCharsets.UTF_8))
                .isZero();
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    private String aws(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", fx.emulator.endpoint().toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    @Test
    void shouldRunTheGuidesEnvelopeRoundTripWithTheAwsCli() throws Exception {
        String keyId = aws("kms", "create-key", "--description", "cli envelope", "--query", "KeyMetadata.KeyId",
                "--output", "text");
        aws("kms", "create-alias", "--alias-name", "alias/cli-envelope", "--target-key-id", keyId);
        aws("kms", "enable-key-rotation", "--key-id", keyId);
        String plaintextB64 = aws("kms", "generate-data-key", "--key-id", "alias/cli-envelope", "--key-spec",
                "AES_256", "--query", "Plaintext", "--output", "text");
        String blobB64 = aws("kms", "generate-data-key", "--key-id", "alias/cli-envelope", "--key-spec", "AES_256",
                "--query", "CiphertextBlob", "--output", "text");
        assertThat(Base64.getDecoder().decode(plaintextB64)).hasSize(32);
        fx.secret(Base64.getDecoder().decode(plaintextB64));
        Files.write(dir.resolve("encrypted_datakey.bin"), Base64.getDecoder().decode(blobB64));
        String decrypted = aws("kms", "decrypt", "--ciphertext-blob", "fileb://encrypted_datakey.bin", "--query",
                "Plaintext", "--output", "text");
        assertThat(Base64.getDecoder().decode(decrypted)).hasSize(32);
        fx.secret(Base64.getDecoder().decode(decrypted));
        String state = aws("kms", "describe-key", "--key-id", "alias/cli-envelope", "--query",
                "KeyMetadata.KeyState", "--output", "text");
        assertThat(state).isEqualTo("Enabled");
        aws("kms", "disable-key", "--key-id", keyId);
        aws("kms", "enable-key", "--key-id", keyId);
        String events = aws("cloudtrail", "lookup-events", "--lookup-attributes",
                "AttributeKey=EventName,AttributeValue=Decrypt", "--max-results", "5", "--query",
                "Events[].EventName", "--output", "text");
        assertThat(events).isEqualTo("Decrypt");
    }

    @Test
    void shouldRunTheEnvelopeRoundTripWithBoto3() throws Exception {
        String keyArn = kms.createKey(b -> b.description("boto3")).keyMetadata().arn();
        Path script = dir.resolve("envelope_roundtrip.py");
        try (var in = getClass().getResourceAsStream("/scripts/envelope_roundtrip.py")) {
            Files.write(script, in.readAllBytes());
        }
        String out = run("python3", script.toString(), fx.emulator.endpoint().toString(), keyArn);
        assertThat(out).isEqualTo("OK " + keyArn);
        List<CloudTrailEvent> decrypts = fx.recordsSnapshot().stream()
                .filter(e -> keyArn.equals(e.keyArn()) && "Decrypt".equals(e.eventName())).toList();
        assertThat(decrypts).hasSize(2);
        assertThat(decrypts.get(0).userAgent()).contains("Boto3");
        assertThat(decrypts.get(1).errorCode()).isEqualTo("InvalidCiphertextException");
    }

    @ParameterizedTest
    @CsvSource({
            "RSA_2048, RSASSA_PKCS1_V1_5_SHA_256, RAW, sha256, ''",
            "RSA_3072, RSASSA_PSS_SHA_256, RAW, sha256, pss",
            "RSA_4096, RSASSA_PSS_SHA_512, DIGEST, sha512, pss",
            "ECC_NIST_P256, ECDSA_SHA_256, RAW, sha256, ''",
            "ECC_NIST_P384, ECDSA_SHA_384, DIGEST, sha384, ''",
            "ECC_NIST_P521, ECDSA_SHA_512, RAW, sha512, ''",
            "ECC_SECG_P256K1, ECDSA_SHA_256, RAW, sha256, ''"})
    void shouldProduceSignaturesOpensslVerifiesWithTheKeyFromGetPublicKey(String spec, String alg, String type,
                                                                          String digest, String padding) throws Exception {
        String keyId = kms.createKey(b -> b.keySpec(KeySpec.fromValue(spec)).keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata().keyId();
        byte[] message = ("invoice 2026-11 for " + spec).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("msg.bin"), message);
        String pubB64 = aws("kms", "get-public-key", "--key-id", keyId, "--query", "PublicKey", "--output", "text");
        Files.write(dir.resolve("pub.der"), Base64.getDecoder().decode(pubB64));
        byte[] toSign = "DIGEST".equals(type)
                ? MessageDigest.getInstance(digest.replace("sha", "SHA-")).digest(message) : message;
        SdkBytes sig = kms.sign(b -> b.keyId(keyId).message(SdkBytes.fromByteArray(toSign))
                .messageType(MessageType.fromValue(type)).signingAlgorithm(alg)).signature();
        Files.write(dir.resolve("sig.bin"), sig.asByteArray());
        run("openssl", "pkey", "-pubin", "-inform", "DER", "-in", "pub.der", "-out", "pub.pem");
        List<String> verify = new ArrayList<>(List.of("openssl", "dgst", "-" + digest, "-verify", "pub.pem",
                "-signature", "sig.bin"));
        if ("pss".equals(padding)) {
            verify.addAll(List.of("-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"));
        }
        verify.add("msg.bin");
        assertThat(run(verify.toArray(String[]::new))).isEqualTo("Verified OK");
    }
}
