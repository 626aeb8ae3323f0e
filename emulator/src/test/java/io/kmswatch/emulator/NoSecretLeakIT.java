package io.kmswatch.emulator;

import io.kmswatch.emulator.state.KeyMaterial;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.SecretScanner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyPairResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * With every logger of the JVM at DEBUG, a workload through the real SDK that handles every kind of secret KMS
 * has (plaintexts in and out, data keys, data key pair private keys, random bytes, MAC and signature messages,
 * imported key material, the secret access keys, the emulator's own key material), including the failures that
 * tend to echo input (wrong context, denied calls, a wrong secret, a malformed body carrying a plaintext). Then
 * every log line, every CloudTrail record (listener, LookupEvents, the NDJSON audit log, the S3-layout files) and
 * the Prometheus scrape of the emulator's meters is scanned for all of them, in base64 and hex: zero hits.
 */
class NoSecretLeakIT {

    private final SecretScanner secrets = new SecretScanner();
    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldKeepEverySecretOfADebugRunOutOfLogsRecordsAndMetrics(@TempDir Path dir) throws Exception {
        Path auditLog = dir.resolve("audit.ndjson");
        Path trailDir = dir.resolve("trail");
        EmulatorConfig config = EmulatorFixture.twoAccounts().withAuditLog(auditLog).withTrailDir(trailDir);
        for (EmulatorConfig.AccountConfig a : config.accounts()) {
            a.users().forEach(u -> secrets.addText("secret access key of " + u.name(), u.secretAccessKey()));
            a.roles().forEach(r -> r.sessions().forEach(s -> secrets.addText("secret access key of session "
                    + s.name(), s.secretAccessKey())));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> records = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> stored = new ArrayList<>();
        List<String> lookups = new ArrayList<>();
        List<String> logLines;

        try (LogCapture logs = new LogCapture()) {
            try (EmulatorFixture fx = new EmulatorFixture(config)) {
                fx.emulator.metrics().bindTo(registry);
                fx.emulator.addListener(e -> records.add(e.rawJson()));
                workload(fx);
                for (KmsKey key : fx.emulator.store().allKeys()) {
                    for (KeyMaterial m : key.materials()) {
                        secrets.addBytes("key material of " + key.keyId() + " v" + m.version(), m.unsafeSecret());
                    }
                }
                try (CloudTrailClient trail = fx.cloudTrail(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET)) {
                    String token = null;
                    do {
                        String next = token;
                        LookupEventsResponse page = trail.lookupEvents(b -> b.maxResults(50).nextToken(next));
                        page.events().stream().map(Event::cloudTrailEvent).forEach(lookups::add);
                        token = page.nextToken();
                    } while (token != null);
                }
                fx.emulator.trail().all().stream().map(CloudTrailEvent::rawJson).forEach(stored::add);
            }
            logLines = logs.lines();
        }

        List<String> trailFiles = new ArrayList<>();
        try (Stream<Path> files = Files.walk(trailDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    trailFiles.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        String scrape = registry.scrape();

        // The run produced what it claims to have, and the scan would see it if it leaked.
        assertThat(secrets.size()).as("secrets known").isGreaterThanOrEqualTo(25);
        assertThat(logLines.stream().filter(l -> l.contains(" DEBUG ")).count()).as("debug lines").isPositive();
        assertThat(records.size()).as("records").isGreaterThan(25).isEqualTo(stored.size());
        assertThat(lookups.size()).as("LookupEvents events").isPositive();
        assertThat(trailFiles.size()).as("trail files").isPositive();
        assertThat(Files.readAllLines(auditLog).size()).as("audit log lines").isGreaterThan(15);
        assertThat(scrape).contains("kmswatch_emulator_requests_total");

        List<String> findings = new ArrayList<>();
        for (int i = 0; i < logLines.size(); i++) {
            findings.addAll(secrets.scan("log line " + i, logLines.get(i)));
        }
        for (int i = 0; i < records.size(); i++) {
            findings.addAll(secrets.scan("trail record " + i, records.get(i)));
        }
        for (int i = 0; i < stored.size(); i++) {
            findings.addAll(secrets.scan("LookupEvents store record " + i, stored.get(i)));
        }
        for (int i = 0; i < lookups.size(); i++) {
            findings.addAll(secrets.scan("LookupEvents event " + i, lookups.get(i)));
        }
        findings.addAll(secrets.scan("audit log", Files.readString(auditLog)));
        for (int i = 0; i < trailFiles.size(); i++) {
            findings.addAll(secrets.scan("trail file " + i, trailFiles.get(i)));
        }
        findings.addAll(secrets.scan("metrics scrape", scrape));
        assertThat(findings).as("secrets found in %d log lines, %d records, the audit log, %d trail files and the "
                + "metrics", logLines.size(), records.size(), trailFiles.size()).isEmpty();
        System.out.printf("scanned %d log lines, %d records, %d lookups, %d trail files, %d metric chars for %d secrets%n",
                logLines.size(), records.size(), lookups.size(), trailFiles.size(), scrape.length(), secrets.size());
    }

    private void workload(EmulatorFixture fx) throws Exception {
        KmsClient admin = fx.admin();
        Map<String, String> context = Map.of("Department", "IT", "Purpose", "leak-test");

        String aes = admin.createKey(b -> b.description("leak test")).keyMetadata().arn();
        SdkBytes plaintext = text("the confidential payload of the leak test");
        SdkBytes ct = admin.encrypt(b -> b.keyId(aes).plaintext(plaintext).encryptionContext(context)).ciphertextBlob();
        seen("Decrypt output", admin.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(context)).plaintext());
        admin.reEncrypt(b -> b.ciphertextBlob(ct).sourceEncryptionContext(context).destinationKeyId(aes));

        GenerateDataKeyResponse dk = admin.generateDataKey(b -> b.keyId(aes).keySpec(DataKeySpec.AES_256)
                .encryptionContext(context));
        seen("data key", dk.plaintext());
        SdkBytes hidden = admin.generateDataKeyWithoutPlaintext(b -> b.keyId(aes).numberOfBytes(48)).ciphertextBlob();
        seen("data key made without plaintext", admin.decrypt(b -> b.ciphertextBlob(hidden)).plaintext());
        GenerateDataKeyPairResponse pair = admin.generateDataKeyPair(b -> b.keyId(aes)
                .keyPairSpec(DataKeyPairSpec.ECC_NIST_P256));
        seen("data key pair private key", pair.privateKeyPlaintext());
        SdkBytes hiddenPair = admin.generateDataKeyPairWithoutPlaintext(b -> b.keyId(aes)
                .keyPairSpec(DataKeyPairSpec.RSA_2048)).privateKeyCiphertextBlob();
        seen("data key pair private key made without plaintext",
                admin.decrypt(b -> b.ciphertextBlob(hiddenPair)).plaintext());
        seen("random bytes", admin.generateRandom(b -> b.numberOfBytes(32)).plaintext());

        String signing = admin.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata().arn();
        SdkBytes message = text("a message to sign that stays private");
        SdkBytes signature = admin.sign(b -> b.keyId(signing).message(message).messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature();
        admin.verify(b -> b.keyId(signing).message(message).signature(signature)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
        String hmac = admin.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
                .keyMetadata().arn();
        SdkBytes macMessage = text("a message to authenticate, also private");
        admin.generateMac(b -> b.keyId(hmac).message(macMessage).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256));

        String external = admin.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().arn();
        byte[] material = new byte[32];
        random.nextBytes(material);
        secrets.addBytes("imported key material", material);
        importMaterial(admin, external, material);
        SdkBytes importedPlaintext = text("encrypted under imported material");
        SdkBytes importedCt = admin.encrypt(b -> b.keyId(external).plaintext(importedPlaintext)).ciphertextBlob();
        seen("Decrypt output under imported material", admin.decrypt(b -> b.ciphertextBlob(importedCt)).plaintext());

        // Failures, where an error path could echo its input.
        catchThrowableOfType(KmsException.class, () -> admin.decrypt(b -> b.ciphertextBlob(ct)
                .encryptionContext(Map.of("Department", "HR"))));
        try (KmsClient nopolicy = fx.kms("AKIANOPOLICYEXAMPL01", "nopolicy-secret")) {
            SdkBytes denied = text("a plaintext whose Encrypt is denied");
            catchThrowableOfType(KmsException.class, () -> nopolicy.encrypt(b -> b.keyId(aes).plaintext(denied)));
        }
        try (KmsClient wrong = fx.kms(EmulatorFixture.ADMIN_KEY, "a-wrong-secret-for-admin")) {
            secrets.addText("the wrong secret", "a-wrong-secret-for-admin");
            SdkBytes refused = text("a plaintext sent with a wrong secret");
            catchThrowableOfType(KmsException.class, () -> wrong.encrypt(b -> b.keyId(aes).plaintext(refused)));
        }
        admin.disableKey(b -> b.keyId(aes));
        SdkBytes disabled = text("a plaintext for a disabled key");
        catchThrowableOfType(KmsException.class, () -> admin.encrypt(b -> b.keyId(aes).plaintext(disabled)));
        admin.enableKey(b -> b.keyId(aes));

        // Malformed bodies carrying a secret: answered 400, and the text must not travel on into logs or records.
        String notBase64 = "my database password is hunter2-hunter2!";
        secrets.addText("plaintext sent without base64", notBase64);
        for (String body : List.of(
                "{\"KeyId\":\"" + aes + "\",\"Plaintext\":\"" + notBase64 + "\"}",
                "{\"KeyId\":\"" + aes + "\",\"Plaintext\":\"" + notBase64,
                "{\"KeyId\":\"" + aes + "\",\"NumberOfBytes\":\"" + notBase64 + "\"}")) {
            HttpResponse<String> malformed = signedPost(fx.emulator.endpoint(),
                    body.contains("NumberOfBytes") ? "TrentService.GenerateDataKey" : "TrentService.Encrypt", body);
            assertThat(malformed.statusCode()).as(body).isEqualTo(400);
        }
        admin.close();
    }

    private SdkBytes text(String plaintext) {
        secrets.addText("plaintext", plaintext);
        return SdkBytes.fromString(plaintext, StandardCharsets.UTF_8);
    }

    private void seen(String label, SdkBytes secret) {
        secrets.addBytes(label, secret.asByteArray());
    }

    private static void importMaterial(KmsClient kms, String keyArn, byte[] material) throws Exception {
        GetParametersForImportResponse p = kms.getParametersForImport(b -> b.keyId(keyArn)
                .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256).wrappingKeySpec(WrappingKeySpec.RSA_2048));
        PublicKey wrapping = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(p.publicKey().asByteArray()));
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, wrapping, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                PSource.PSpecified.DEFAULT));
        byte[] wrapped = rsa.doFinal(material);
        kms.importKeyMaterial(b -> b.keyId(keyArn).importToken(p.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE));
    }

    private static HttpResponse<String> signedPost(URI endpoint, String target, String body)
            throws IOException, InterruptedException {
        URI uri = endpoint.resolve("/");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("X-Amz-Target", target).putHeader("Content-Type", "application/x-amz-json-1.1").build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET))
                .request(request).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
