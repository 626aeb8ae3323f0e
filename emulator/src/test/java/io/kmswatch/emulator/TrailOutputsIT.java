package io.kmswatch.emulator;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CodecFiles;
import io.kmswatch.events.CloudTrailEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the emulator writes besides API answers: S3-layout gzip trail files and the NDJSON audit log, both read
 * back with the project's codec; and the service events a fast emulator clock causes (key deletion when the
 * pending window ends, automatic rotation).
 */
class TrailOutputsIT {
    @TempDir
    Path dir;

    @Test
    void shouldWriteS3LayoutFilesAndAuditLogThatTheCodecReads() throws Exception {
        Path trail = dir.resolve("trail");
        Path audit = dir.resolve("audit.ndjson");
        EmulatorConfig config = EmulatorConfig.defaults().withTrailDir(trail).withAuditLog(audit)
                .withClock(Instant.parse("2026-03-01T10:00:00Z"), 1.0).withTrailRollMinutes(5);
        int emitted;
        try (EmulatorFixture fx = new EmulatorFixture(config); KmsClient kms = fx.admin()) {
            String id = kms.createKey(b -> b.description("files")).keyMetadata().keyId();
            kms.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("file test data")));
            fx.secret(SdkBytes.fromUtf8String("file test data"));
            catchThrowableOfType(KmsException.class, () -> kms.describeKey(b -> b.keyId("alias/nope")));
            emitted = fx.recordsSnapshot().size();
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(trail)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(trail.relativize(f).toString()).matches(
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/111122223333_CloudTrail_us-east-1_20260301T10\\d\\dZ_[A-Za-z0-9]{16}\\.json\\.gz"));
        CloudTrailCodec.Collected fromFile = new CloudTrailCodec.Collected();
        CodecFiles.read(new CloudTrailCodec(), files.get(0), fromFile);
        assertThat(fromFile.rejected).isEmpty();
        assertThat(fromFile.records).hasSize(emitted)
                .extracting(CloudTrailEvent::eventName).containsExactly("CreateKey", "Encrypt", "DescribeKey");
        assertThat(fromFile.records.get(0).eventTime()).isBetween(Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T10:05:00Z"));
        CloudTrailCodec.Collected fromAudit = new CloudTrailCodec.Collected();
        CodecFiles.read(new CloudTrailCodec(), audit, fromAudit);
        assertThat(fromAudit.rejected).isEmpty();
        assertThat(fromAudit.records).extracting(CloudTrailEvent::eventId)
                .containsExactlyElementsOf(fromFile.records.stream().map(CloudTrailEvent::eventId).toList());
        assertThat(Files.readAllLines(audit)).hasSize(emitted);
    }

    @Test
    void shouldDeleteKeysAndRotateOnTheFastEmulatorClock() throws Exception {
        // A million emulator seconds per real second: the 7-day window passes in ~0.6 s, a 90-day rotation in ~8 s.
        EmulatorConfig config = EmulatorConfig.defaults().withClock(Instant.parse("2026-01-01T00:00:00Z"), 1_000_000.0);
        try (EmulatorFixture fx = new EmulatorFixture(config); KmsClient kms = fx.admin()) {
            String doomed = kms.createKey(b -> b.description("doomed")).keyMetadata().keyId();
            kms.createAlias(b -> b.aliasName("alias/doomed").targetKeyId(doomed));
            Instant deletion = kms.scheduleKeyDeletion(b -> b.keyId(doomed).pendingWindowInDays(7)).deletionDate();
            assertThat(deletion).isAfter(Instant.parse("2026-01-08T00:00:00Z"));
            String rotating = kms.createKey(b -> b.description("rotating")).keyMetadata().keyId();
            SdkBytes pt = SdkBytes.fromUtf8String("old material still decrypts");
            fx.secret(pt);
            SdkBytes old = kms.encrypt(b -> b.keyId(rotating).plaintext(pt)).ciphertextBlob();
            kms.enableKeyRotation(b -> b.keyId(rotating).rotationPeriodInDays(90));

            awaitRecord(fx, "DeleteKey", doomed);

            assertThat(catchThrowableOfType(NotFoundException.class, () -> kms.describeKey(b -> b.keyId(doomed))))
                    .isNotNull();
            assertThat(kms.listAliases().aliases()).noneMatch(a -> a.aliasName().equals("alias/doomed"));
            CloudTrailEvent deleted = awaitRecord(fx, "DeleteKey", doomed);
            assertThat(deleted.eventType()).isEqualTo("AwsServiceEvent");
            assertThat(deleted.eventTime()).isAfterOrEqualTo(deletion.minusSeconds(1));

            CloudTrailEvent rotated = awaitRecord(fx, "RotateKey", rotating);
            assertThat(rotated.serviceEventDetails().path("rotationType").asText()).isEqualTo("AUTOMATIC");
            assertThat(kms.listKeyRotations(b -> b.keyId(rotating)).rotations()).isNotEmpty();
            assertThat(kms.decrypt(b -> b.ciphertextBlob(old)).plaintext()).isEqualTo(pt);
            assertThat(kms.getKeyRotationStatus(b -> b.keyId(rotating)).nextRotationDate())
                    .isAfter(Instant.parse("2026-03-31T00:00:00Z"));
            fx.recordsSnapshot().forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        }
    }

    @Test
    void shouldDeleteExpiredImportedMaterialOnTheEmulatorClock() throws Exception {
        // An emulator hour per real second: the 24-hour import token lives long enough to use, the material
        // (valid for three emulator hours) expires a few seconds later.
        EmulatorConfig config = EmulatorConfig.defaults().withClock(Instant.parse("2026-01-01T00:00:00Z"), 3600.0);
        try (EmulatorFixture fx = new EmulatorFixture(config); KmsClient kms = fx.admin()) {
            String imported = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
            GetParametersForImportResponse params = kms.getParametersForImport(b -> b.keyId(imported)
                    .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256).wrappingKeySpec(WrappingKeySpec.RSA_2048));
            byte[] material = new byte[32];
            new java.security.SecureRandom().nextBytes(material);
            fx.secret(material);
            javax.crypto.Cipher oaep = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
            oaep.init(javax.crypto.Cipher.ENCRYPT_MODE, java.security.KeyFactory.getInstance("RSA").generatePublic(
                            new java.security.spec.X509EncodedKeySpec(params.publicKey().asByteArray())),
                    new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256,
                            javax.crypto.spec.PSource.PSpecified.DEFAULT));
            byte[] wrapped = oaep.doFinal(material);
            // The token is valid for 24 emulator hours: its expiry tells the emulator's "now".
            Instant validTo = params.parametersValidTo().minus(Duration.ofHours(21));
            kms.importKeyMaterial(b -> b.keyId(imported).importToken(params.importToken())
                    .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped)).validTo(validTo)
                    .expirationModel(ExpirationModelType.KEY_MATERIAL_EXPIRES));

            CloudTrailEvent expired = awaitRecord(fx, "DeleteExpiredKeyMaterial", imported);
            assertThat(expired.eventType()).isEqualTo("AwsServiceEvent");
            assertThat(kms.describeKey(b -> b.keyId(imported)).keyMetadata().keyStateAsString())
                    .isEqualTo("PendingImport");
            fx.recordsSnapshot().forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        }
    }

    private static CloudTrailEvent awaitRecord(EmulatorFixture fx, String eventName, String keyId)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (CloudTrailEvent e : fx.recordsSnapshot()) {
                if (eventName.equals(e.eventName()) && e.keyArn() != null && e.keyArn().endsWith(keyId)) {
                    return e;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + eventName + " record for " + keyId);
    }
}
