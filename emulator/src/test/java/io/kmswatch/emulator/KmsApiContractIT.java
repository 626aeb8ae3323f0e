package io.kmswatch.emulator;

import io.kmswatch.events.CloudTrailEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The KMS API contract through the real SDK v2 client against the running server: every operation, key-id
 * forms, state errors, validation errors, rotation, import, replication; and every audit record it caused checked
 * against the record shape and for leaked secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KmsApiContractIT {
    private EmulatorFixture fx;
    private KmsClient kms;

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(EmulatorFixture.twoAccounts());
        kms = fx.admin();
    }

    @AfterAll
    void stop() {
        try {
            List<CloudTrailEvent> all = fx.recordsSnapshot();
            assertThat(all).isNotEmpty();
            all.forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        } finally {
            kms.close();
            fx.close();
        }
    }

    private String newKey() {
        return kms.createKey(b -> b.description("contract")).keyMetadata().keyId();
    }

    private static SdkBytes utf8(String s) {
        return SdkBytes.fromString(s, StandardCharsets.UTF_8);
    }

    private static KmsException kmsError(Runnable r) {
        return catchThrowableOfType(KmsException.class, r::run);
    }

    private static void assertError(Runnable call, Class<? extends KmsException> type, String code) {
        KmsException e = kmsError(call);
        assertThat(e).as("expected %s", code).isInstanceOf(type);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldCreateDescribeAndListSymmetricKey() {
        CreateKeyResponse created = kms.createKey(b -> b.description("d1").tags(Tag.builder().tagKey("team")
                .tagValue("sec").build()));
        KeyMetadata m = created.keyMetadata();
        assertThat(m.keyId()).matches("[0-9a-f-]{36}");
        assertThat(m.arn()).isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + m.keyId());
        assertThat(m.keyStateAsString()).isEqualTo("Enabled");
        assertThat(m.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(m.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(m.encryptionAlgorithmsAsStrings()).containsExactly("SYMMETRIC_DEFAULT");
        assertThat(m.keyManagerAsString()).isEqualTo("CUSTOMER");
        assertThat(m.originAsString()).isEqualTo("AWS_KMS");
        assertThat(m.creationDate()).isNotNull();
        assertThat(kms.describeKey(b -> b.keyId(m.arn())).keyMetadata().description()).isEqualTo("d1");
        assertThat(kms.listKeys(b -> b.limit(1000)).keys()).extracting(KeyListEntry::keyId).contains(m.keyId());
        assertThat(kms.listResourceTags(b -> b.keyId(m.keyId())).tags())
                .containsExactly(Tag.builder().tagKey("team").tagValue("sec").build());
        String policy = kms.getKeyPolicy(b -> b.keyId(m.keyId()).policyName("default")).policy();
        assertThat(policy).contains("arn:aws:iam::111122223333:root").contains("kms:*");
        assertThat(kms.listKeyPolicies(b -> b.keyId(m.keyId())).policyNames()).containsExactly("default");
    }

    @Test
    void shouldEncryptAndDecryptWithEveryKeyIdForm() {
        String id = newKey();
        String arn = "arn:aws:kms:us-east-1:111122223333:key/" + id;
        kms.createAlias(b -> b.aliasName("alias/forms-" + id).targetKeyId(id));
        String aliasArn = "arn:aws:kms:us-east-1:111122223333:alias/forms-" + id;
        for (String form : List.of(id, arn, "alias/forms-" + id, aliasArn)) {
            SdkBytes pt = utf8("secret payload for " + form);
            fx.secret(pt);
            EncryptResponse enc = kms.encrypt(b -> b.keyId(form).plaintext(pt).encryptionContext(Map.of("Dept", "IT")));
            assertThat(enc.keyId()).isEqualTo(arn);
            assertThat(enc.encryptionAlgorithmAsString()).isEqualTo("SYMMETRIC_DEFAULT");
            DecryptResponse dec = kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())
                    .encryptionContext(Map.of("Dept", "IT")));
            assertThat(dec.plaintext()).isEqualTo(pt);
            assertThat(dec.keyId()).isEqualTo(arn);
            DecryptResponse withKey = kms.decrypt(b -> b.keyId(form).ciphertextBlob(enc.ciphertextBlob())
                    .encryptionContext(Map.of("Dept", "IT")));
            assertThat(withKey.plaintext()).isEqualTo(pt);
        }
    }

    @Test
    void shouldRejectWrongContextTamperedBlobAndWrongKey() {
        String id = newKey();
        String other = newKey();
        SdkBytes pt = utf8("context bound data");
        fx.secret(pt);
        SdkBytes blob = kms.encrypt(b -> b.keyId(id).plaintext(pt).encryptionContext(Map.of("a", "1")))
                .ciphertextBlob();
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("a", "2"))),
                InvalidCiphertextException.class, "InvalidCiphertextException");
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(blob)), InvalidCiphertextException.class,
                "InvalidCiphertextException");
        byte[] tampered = blob.asByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(tampered))
                .encryptionContext(Map.of("a", "1"))), InvalidCiphertextException.class, "InvalidCiphertextException");
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(utf8("not a kms blob at all, just text"))),
                InvalidCiphertextException.class, "InvalidCiphertextException");
        assertError(() -> kms.decrypt(b -> b.keyId(other).ciphertextBlob(blob).encryptionContext(Map.of("a", "1"))),
                IncorrectKeyException.class, "IncorrectKeyException");
    }

    @Test
    void shouldGenerateDataKeysOfRequestedLength() {
        String id = newKey();
        GenerateDataKeyResponse dk = kms.generateDataKey(b -> b.keyId(id).keySpec(DataKeySpec.AES_256));
        fx.secret(dk.plaintext());
        assertThat(dk.plaintext().asByteArray()).hasSize(32);
        assertThat(kms.decrypt(b -> b.ciphertextBlob(dk.ciphertextBlob())).plaintext()).isEqualTo(dk.plaintext());
        GenerateDataKeyResponse dk16 = kms.generateDataKey(b -> b.keyId(id).keySpec(DataKeySpec.AES_128));
        fx.secret(dk16.plaintext());
        assertThat(dk16.plaintext().asByteArray()).hasSize(16);
        GenerateDataKeyResponse dk64 = kms.generateDataKey(b -> b.keyId(id).numberOfBytes(64));
        fx.secret(dk64.plaintext());
        assertThat(dk64.plaintext().asByteArray()).hasSize(64);
        GenerateDataKeyWithoutPlaintextResponse np = kms.generateDataKeyWithoutPlaintext(b -> b.keyId(id)
                .numberOfBytes(48).encryptionContext(Map.of("aws:ebs:id", "vol-1")));
        SdkBytes recovered = kms.decrypt(b -> b.ciphertextBlob(np.ciphertextBlob())
                .encryptionContext(Map.of("aws:ebs:id", "vol-1"))).plaintext();
        fx.secret(recovered);
        assertThat(recovered.asByteArray()).hasSize(48);
        assertThat(kms.generateRandom(b -> b.numberOfBytes(1024)).plaintext().asByteArray()).hasSize(1024);
    }

    @Test
    void shouldGenerateDataKeyPairsWhosePrivateKeyDecrypts() throws Exception {
        String id = newKey();
        GenerateDataKeyPairResponse p = kms.generateDataKeyPair(b -> b.keyId(id).keyPairSpec(DataKeyPairSpec.ECC_NIST_P256));
        fx.secret(p.privateKeyPlaintext());
        assertThat(kms.decrypt(b -> b.ciphertextBlob(p.privateKeyCiphertextBlob())).plaintext())
                .isEqualTo(p.privateKeyPlaintext());
        java.security.KeyFactory.getInstance("EC").generatePublic(
                new java.security.spec.X509EncodedKeySpec(p.publicKey().asByteArray()));
        GenerateDataKeyPairWithoutPlaintextResponse np = kms.generateDataKeyPairWithoutPlaintext(b -> b.keyId(id)
                .keyPairSpec(DataKeyPairSpec.RSA_2048));
        java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.X509EncodedKeySpec(np.publicKey().asByteArray()));
        SdkBytes priv = kms.decrypt(b -> b.ciphertextBlob(np.privateKeyCiphertextBlob())).plaintext();
        fx.secret(priv);
        java.security.KeyFactory.getInstance("RSA").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(priv.asByteArray()));
    }

    @Test
    void shouldReEncryptBetweenKeysWithoutExposingPlaintext() {
        String a = newKey();
        String b2 = newKey();
        SdkBytes pt = utf8("move me between keys");
        fx.secret(pt);
        SdkBytes blob = kms.encrypt(b -> b.keyId(a).plaintext(pt).encryptionContext(Map.of("x", "1"))).ciphertextBlob();
        ReEncryptResponse re = kms.reEncrypt(b -> b.ciphertextBlob(blob).sourceEncryptionContext(Map.of("x", "1"))
                .destinationKeyId(b2).destinationEncryptionContext(Map.of("y", "2")));
        assertThat(re.sourceKeyId()).endsWith(a);
        assertThat(re.keyId()).endsWith(b2);
        assertThat(kms.decrypt(b -> b.ciphertextBlob(re.ciphertextBlob()).encryptionContext(Map.of("y", "2")))
                .plaintext()).isEqualTo(pt);
        CloudTrailEvent rec = lastRecord("ReEncrypt");
        assertThat(rec.resources()).hasSize(2);
    }

    @Test
    void shouldEnforceKeyStatesOnCryptoCalls() {
        String id = newKey();
        SdkBytes pt = utf8("state machine");
        fx.secret(pt);
        SdkBytes blob = kms.encrypt(b -> b.keyId(id).plaintext(pt)).ciphertextBlob();
        kms.disableKey(b -> b.keyId(id));
        assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyStateAsString()).isEqualTo("Disabled");
        assertError(() -> kms.encrypt(b -> b.keyId(id).plaintext(pt)), DisabledException.class, "DisabledException");
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(blob)), DisabledException.class, "DisabledException");
        assertError(() -> kms.generateDataKey(b -> b.keyId(id).keySpec(DataKeySpec.AES_256)), DisabledException.class,
                "DisabledException");
        kms.enableKey(b -> b.keyId(id));
        assertThat(kms.decrypt(b -> b.ciphertextBlob(blob)).plaintext()).isEqualTo(pt);

        ScheduleKeyDeletionResponse s = kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(7));
        assertThat(s.keyStateAsString()).isEqualTo("PendingDeletion");
        assertThat(s.pendingWindowInDays()).isEqualTo(7);
        assertThat(s.deletionDate()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        assertError(() -> kms.encrypt(b -> b.keyId(id).plaintext(pt)), KmsInvalidStateException.class,
                "KMSInvalidStateException");
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(blob)), KmsInvalidStateException.class,
                "KMSInvalidStateException");
        assertError(() -> kms.scheduleKeyDeletion(b -> b.keyId(id)), KmsInvalidStateException.class,
                "KMSInvalidStateException");
        assertError(() -> kms.enableKey(b -> b.keyId(id)), KmsInvalidStateException.class, "KMSInvalidStateException");
        KeyMetadata pending = kms.describeKey(b -> b.keyId(id)).keyMetadata();
        assertThat(pending.deletionDate()).isNotNull();
        assertThat(pending.pendingDeletionWindowInDays()).isEqualTo(7);
        assertThat(kms.cancelKeyDeletion(b -> b.keyId(id)).keyId()).endsWith(id);
        assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyStateAsString()).isEqualTo("Disabled");
        assertError(() -> kms.cancelKeyDeletion(b -> b.keyId(id)), KmsInvalidStateException.class,
                "KMSInvalidStateException");
    }

    @Test
    void shouldAnswerServerSideValidationErrors() {
        String id = newKey();
        assertError(() -> kms.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromByteArray(new byte[4097]))),
                KmsException.class, "ValidationException");
        assertError(() -> kms.generateDataKey(b -> b.keyId(id).keySpec(DataKeySpec.AES_256).numberOfBytes(32)),
                KmsException.class, "ValidationException");
        assertError(() -> kms.generateDataKey(b -> b.keyId(id)), KmsException.class, "ValidationException");
        assertError(() -> kms.generateDataKey(b -> b.keyId(id).numberOfBytes(1025)), KmsException.class,
                "ValidationException");
        assertError(() -> kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(6)), KmsException.class,
                "ValidationException");
        assertError(() -> kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(31)), KmsException.class,
                "ValidationException");
        assertError(() -> kms.createKey(b -> b.keySpec("NOT_A_SPEC")), KmsException.class, "ValidationException");
        assertError(() -> kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256)), KmsException.class,
                "ValidationException");
        assertError(() -> kms.generateRandom(b -> b.numberOfBytes(1025)), KmsException.class, "ValidationException");
        KmsException dry = kmsError(() -> kms.encrypt(b -> b.keyId(id).plaintext(utf8("dry")).dryRun(true)));
        assertThat(dry).isInstanceOf(DryRunOperationException.class);
        assertThat(dry.statusCode()).isEqualTo(412);
        assertError(() -> kms.describeKey(b -> b.keyId("not-a-key-id")), NotFoundException.class, "NotFoundException");
        assertError(() -> kms.enableKey(b -> b.keyId("alias/anything")), NotFoundException.class, "NotFoundException");
        KmsException e = kmsError(() -> kms.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromByteArray(new byte[5000]))));
        assertThat(e.awsErrorDetails().errorMessage()).startsWith("1 validation error detected")
                .contains("'plaintext'").contains("less than or equal to 4096");
    }

    @Test
    void shouldManageAliasesWithAwsRules() {
        String id = newKey();
        String id2 = newKey();
        kms.createAlias(b -> b.aliasName("alias/app-" + id).targetKeyId(id));
        assertError(() -> kms.createAlias(b -> b.aliasName("alias/app-" + id).targetKeyId(id2)),
                AlreadyExistsException.class, "AlreadyExistsException");
        assertError(() -> kms.createAlias(b -> b.aliasName("alias/aws/mine").targetKeyId(id)),
                InvalidAliasNameException.class, "InvalidAliasNameException");
        assertError(() -> kms.createAlias(b -> b.aliasName("noprefix").targetKeyId(id)), KmsException.class,
                "ValidationException");
        assertError(() -> kms.describeKey(b -> b.keyId("alias/does-not-exist")), NotFoundException.class,
                "NotFoundException");
        assertError(() -> kms.describeKey(b -> b.keyId("00000000-0000-0000-0000-000000000000")),
                NotFoundException.class, "NotFoundException");
        ListAliasesResponse list = kms.listAliases(b -> b.keyId(id));
        assertThat(list.aliases()).singleElement().satisfies(a -> {
            assertThat(a.aliasName()).isEqualTo("alias/app-" + id);
            assertThat(a.aliasArn()).isEqualTo("arn:aws:kms:us-east-1:111122223333:alias/app-" + id);
            assertThat(a.targetKeyId()).isEqualTo(id);
        });
        kms.updateAlias(b -> b.aliasName("alias/app-" + id).targetKeyId(id2));
        assertThat(kms.describeKey(b -> b.keyId("alias/app-" + id)).keyMetadata().keyId()).isEqualTo(id2);
        kms.deleteAlias(b -> b.aliasName("alias/app-" + id));
        assertError(() -> kms.deleteAlias(b -> b.aliasName("alias/app-" + id)), NotFoundException.class,
                "NotFoundException");
    }

    @Test
    void shouldAnswerAliasNameErrorsInKmsWordsAndListPredefinedAliasesThroughTheSdk() {
        String id = newKey();
        KmsException pattern = kmsError(() -> kms.createAlias(b -> b.aliasName("alias/my!alias").targetKeyId(id)));
        KmsException prefix = kmsError(() -> kms.updateAlias(b -> b.aliasName("my-alias").targetKeyId(id)));
        KmsException colon = kmsError(() -> kms.deleteAlias(b -> b.aliasName("alias/a:b")));

        assertThat(pattern.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(pattern.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value "
                + "'alias/my!alias' at 'aliasName' failed to satisfy constraint: Member must satisfy regular "
                + "expression pattern: ^[a-zA-Z0-9:/_-]+$");
        assertThat(prefix.awsErrorDetails().errorMessage()).isEqualTo("Alias must start with the prefix \"alias/\". "
                + "Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        assertThat(colon.awsErrorDetails().errorMessage()).isEqualTo("alias/a:b contains invalid characters for an alias");
        List<AliasListEntry> predefined = kms.listAliasesPaginator(b -> b.limit(5)).aliases().stream()
                .filter(a -> a.aliasName().startsWith("alias/aws/")).toList();
        assertThat(predefined).extracting(AliasListEntry::aliasName)
                .contains("alias/aws/s3", "alias/aws/ebs", "alias/aws/rds").hasSize(12);
        assertThat(predefined).filteredOn(a -> a.aliasName().equals("alias/aws/s3"))
                .singleElement().satisfies(a -> {
                    assertThat(a.targetKeyId()).isNull();
                    assertThat(a.aliasArn()).isEqualTo("arn:aws:kms:us-east-1:111122223333:alias/aws/s3");
                });
    }

    @Test
    void shouldPageListsWithMarkers() {
        String id = newKey();
        for (int i = 0; i < 5; i++) {
            int n = i;
            kms.createAlias(b -> b.aliasName("alias/page-" + n + "-" + id).targetKeyId(id));
        }
        ListAliasesResponse p1 = kms.listAliases(b -> b.keyId(id).limit(2));
        assertThat(p1.aliases()).hasSize(2);
        assertThat(p1.truncated()).isTrue();
        ListAliasesResponse p2 = kms.listAliases(b -> b.keyId(id).limit(2).marker(p1.nextMarker()));
        ListAliasesResponse p3 = kms.listAliases(b -> b.keyId(id).limit(2).marker(p2.nextMarker()));
        assertThat(p3.aliases()).hasSize(1);
        assertThat(p3.truncated()).isFalse();
        assertError(() -> kms.listAliases(b -> b.marker("garbage!")), InvalidMarkerException.class,
                "InvalidMarkerException");
    }

    @Test
    void shouldRotateKeepingOldMaterialForDecrypt() {
        String id = newKey();
        SdkBytes pt = utf8("before rotation");
        fx.secret(pt);
        SdkBytes before = kms.encrypt(b -> b.keyId(id).plaintext(pt)).ciphertextBlob();
        kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(90));
        GetKeyRotationStatusResponse st = kms.getKeyRotationStatus(b -> b.keyId(id));
        assertThat(st.keyRotationEnabled()).isTrue();
        assertThat(st.rotationPeriodInDays()).isEqualTo(90);
        assertThat(st.nextRotationDate()).isAfter(Instant.now().plus(Duration.ofDays(89)));
        kms.rotateKeyOnDemand(b -> b.keyId(id));
        kms.rotateKeyOnDemand(b -> b.keyId(id));
        ListKeyRotationsResponse rotations = kms.listKeyRotations(b -> b.keyId(id));
        assertThat(rotations.rotations()).hasSize(2)
                .allSatisfy(r -> assertThat(r.rotationTypeAsString()).isEqualTo("ON_DEMAND"));
        SdkBytes after = kms.encrypt(b -> b.keyId(id).plaintext(pt)).ciphertextBlob();
        assertThat(kms.decrypt(b -> b.ciphertextBlob(before)).plaintext()).isEqualTo(pt);
        assertThat(kms.decrypt(b -> b.ciphertextBlob(after)).plaintext()).isEqualTo(pt);
        assertThat(fx.recordsSnapshot()).filteredOn(e -> "RotateKey".equals(e.eventName())
                && e.keyArn().endsWith(id)).hasSize(2).allSatisfy(e -> {
                    assertThat(e.eventType()).isEqualTo("AwsServiceEvent");
                    assertThat(e.serviceEventDetails().path("rotationType").asText()).isEqualTo("ON_DEMAND");
                });
        kms.disableKeyRotation(b -> b.keyId(id));
        assertThat(kms.getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).isFalse();
        assertError(() -> kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(89)), KmsException.class,
                "ValidationException");
    }

    @Test
    void shouldManageGrantsAndTokens() {
        String id = newKey();
        CreateGrantResponse g = kms.createGrant(b -> b.keyId(id).name("g1")
                .granteePrincipal("arn:aws:iam::111122223333:user/alice")
                .retiringPrincipal("arn:aws:iam::111122223333:user/admin")
                .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT)
                .constraints(c -> c.encryptionContextSubset(Map.of("Dept", "IT"))));
        assertThat(g.grantId()).matches("[0-9a-f]{64}");
        CreateGrantResponse again = kms.createGrant(b -> b.keyId(id).name("g1")
                .granteePrincipal("arn:aws:iam::111122223333:user/alice")
                .operations(GrantOperation.DECRYPT, GrantOperation.ENCRYPT));
        assertThat(again.grantId()).isEqualTo(g.grantId());
        ListGrantsResponse list = kms.listGrants(b -> b.keyId(id));
        assertThat(list.grants()).singleElement().satisfies(e -> {
            assertThat(e.granteePrincipal()).isEqualTo("arn:aws:iam::111122223333:user/alice");
            assertThat(e.operationsAsStrings()).containsExactlyInAnyOrder("Encrypt", "Decrypt");
            assertThat(e.constraints().encryptionContextSubset()).containsEntry("Dept", "IT");
            assertThat(e.issuingAccount()).isEqualTo("111122223333");
        });
        assertThat(kms.listRetirableGrants(b -> b.retiringPrincipal("arn:aws:iam::111122223333:user/admin")).grants())
                .extracting(GrantListEntry::grantId).contains(g.grantId());
        kms.encrypt(b -> b.keyId(id).plaintext(utf8("with a token")).grantTokens(g.grantToken()));
        fx.secret(utf8("with a token"));
        assertError(() -> kms.encrypt(b -> b.keyId(id).plaintext(utf8("xx")).grantTokens("bogus-token")),
                InvalidGrantTokenException.class, "InvalidGrantTokenException");
        kms.retireGrant(b -> b.grantToken(g.grantToken()));
        assertThat(kms.listGrants(b -> b.keyId(id)).grants()).isEmpty();
        CreateGrantResponse g2 = kms.createGrant(b -> b.keyId(id).granteePrincipal("arn:aws:iam::111122223333:user/alice")
                .operations(GrantOperation.DECRYPT));
        kms.revokeGrant(b -> b.keyId(id).grantId(g2.grantId()));
        assertError(() -> kms.revokeGrant(b -> b.keyId(id).grantId(g2.grantId())), InvalidGrantIdException.class,
                "InvalidGrantIdException");
        assertError(() -> kms.createGrant(b -> b.keyId(id).granteePrincipal("arn:aws:iam::111122223333:user/alice")
                .operations(GrantOperation.DECRYPT).constraints(c -> c.encryptionContextSubset(Map.of("a", "b"))
                        .encryptionContextEquals(Map.of("a", "b")))), KmsException.class, "ValidationException");
        CloudTrailEvent rec = fx.recordsSnapshot().stream().filter(e -> "CreateGrant".equals(e.eventName())
                && e.succeeded() && e.keyArn().endsWith(id)).reduce((x, y) -> y).orElseThrow();
        assertThat(rec.responseElements().path("grantId").asText()).matches("[0-9a-f]{64}");
        assertThat(rec.requestParameters().path("granteePrincipal").asText()).endsWith("user/alice");
    }

    @Test
    void shouldTagUntagAndDescribeKeys() {
        String id = newKey();
        kms.tagResource(b -> b.keyId(id).tags(Tag.builder().tagKey("a").tagValue("1").build(),
                Tag.builder().tagKey("b").tagValue("2").build()));
        kms.untagResource(b -> b.keyId(id).tagKeys("a"));
        assertThat(kms.listResourceTags(b -> b.keyId(id)).tags()).extracting(Tag::tagKey).containsExactly("b");
        assertError(() -> kms.tagResource(b -> b.keyId(id).tags(Tag.builder().tagKey("aws:x").tagValue("1").build())),
                TagException.class, "TagException");
        kms.updateKeyDescription(b -> b.keyId(id).description("new description"));
        assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().description()).isEqualTo("new description");
    }

    @Test
    void shouldSignVerifyAndMacWithAsymmetricAndHmacKeys() {
        String rsa = kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        SdkBytes msg = utf8("message to sign");
        for (SigningAlgorithmSpec alg : List.of(SigningAlgorithmSpec.RSASSA_PSS_SHA_256,
                SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384, SigningAlgorithmSpec.RSASSA_PSS_SHA_512)) {
            SdkBytes sig = kms.sign(b -> b.keyId(rsa).message(msg).signingAlgorithm(alg)).signature();
            assertThat(kms.verify(b -> b.keyId(rsa).message(msg).signature(sig).signingAlgorithm(alg)).signatureValid())
                    .isTrue();
        }
        String ec = kms.createKey(b -> b.keySpec("ECC_SECG_P256K1").keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata().keyId();
        SdkBytes digest = SdkBytes.fromByteArray(sha256("digest me"));
        SdkBytes sig = kms.sign(b -> b.keyId(ec).message(digest).messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature();
        assertThat(kms.verify(b -> b.keyId(ec).message(utf8("digest me")).signature(sig)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signatureValid()).isTrue();
        assertError(() -> kms.verify(b -> b.keyId(ec).message(utf8("other")).signature(sig)
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)), KmsInvalidSignatureException.class,
                "KMSInvalidSignatureException");
        assertError(() -> kms.sign(b -> b.keyId(ec).message(msg).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)),
                InvalidKeyUsageException.class, "InvalidKeyUsageException");
        String sym = newKey();
        KmsException wrongUsage = kmsError(() -> kms.sign(b -> b.keyId(sym).message(msg)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)));
        assertThat(wrongUsage).isInstanceOf(InvalidKeyUsageException.class);
        assertThat(wrongUsage.awsErrorDetails().errorMessage())
                .endsWith("key usage is ENCRYPT_DECRYPT which is not valid for Sign.");
        assertError(() -> kms.encrypt(b -> b.keyId(rsa).plaintext(msg)), InvalidKeyUsageException.class,
                "InvalidKeyUsageException");
        assertError(() -> kms.getPublicKey(b -> b.keyId(sym)), software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class,
                "UnsupportedOperationException");

        String hmac = kms.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
                .keyMetadata().keyId();
        SdkBytes mac = kms.generateMac(b -> b.keyId(hmac).message(msg).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)).mac();
        assertThat(mac.asByteArray()).hasSize(32);
        assertThat(kms.verifyMac(b -> b.keyId(hmac).message(msg).mac(mac).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256))
                .macValid()).isTrue();
        assertError(() -> kms.verifyMac(b -> b.keyId(hmac).message(utf8("tampered")).mac(mac)
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)), KmsInvalidMacException.class, "KMSInvalidMacException");
        assertError(() -> kms.generateMac(b -> b.keyId(hmac).message(msg).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_512)),
                InvalidKeyUsageException.class, "InvalidKeyUsageException");
        assertError(() -> kms.encrypt(b -> b.keyId(hmac).plaintext(msg)), InvalidKeyUsageException.class,
                "InvalidKeyUsageException");
    }

    @Test
    void shouldEncryptWithRsaOaepAndDecryptWithKeyId() {
        String rsa = kms.createKey(b -> b.keySpec(KeySpec.RSA_3072).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                .keyMetadata().keyId();
        SdkBytes pt = utf8("rsa oaep secret");
        fx.secret(pt);
        for (EncryptionAlgorithmSpec alg : List.of(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1,
                EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)) {
            SdkBytes ct = kms.encrypt(b -> b.keyId(rsa).plaintext(pt).encryptionAlgorithm(alg)).ciphertextBlob();
            assertThat(kms.decrypt(b -> b.keyId(rsa).ciphertextBlob(ct).encryptionAlgorithm(alg)).plaintext())
                    .isEqualTo(pt);
        }
        assertError(() -> kms.encrypt(b -> b.keyId(rsa).plaintext(SdkBytes.fromByteArray(new byte[400]))
                .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)), KmsException.class,
                "ValidationException");
        GetPublicKeyResponse pub = kms.getPublicKey(b -> b.keyId(rsa));
        assertThat(pub.encryptionAlgorithmsAsStrings()).contains("RSAES_OAEP_SHA_256");
        assertThat(pub.keySpecAsString()).isEqualTo("RSA_3072");
    }

    @Test
    void shouldImportKeyMaterialAndRequireTheSameMaterialOnReimport() throws Exception {
        KeyMetadata m = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
        assertThat(m.keyStateAsString()).isEqualTo("PendingImport");
        String id = m.keyId();
        assertError(() -> kms.encrypt(b -> b.keyId(id).plaintext(utf8("x"))), KmsInvalidStateException.class,
                "KMSInvalidStateException");
        byte[] material = new byte[32];
        new java.security.SecureRandom().nextBytes(material);
        fx.secret(material);
        importMaterial(id, material, AlgorithmSpec.RSAES_OAEP_SHA_256);
        assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
        SdkBytes pt = utf8("imported material data");
        fx.secret(pt);
        SdkBytes ct = kms.encrypt(b -> b.keyId(id).plaintext(pt)).ciphertextBlob();
        kms.deleteImportedKeyMaterial(b -> b.keyId(id));
        assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyStateAsString()).isEqualTo("PendingImport");
        assertError(() -> kms.decrypt(b -> b.ciphertextBlob(ct)), KmsInvalidStateException.class,
                "KMSInvalidStateException");
        byte[] other = new byte[32];
        KmsException wrong = kmsError(() -> importMaterial(id, other, AlgorithmSpec.RSAES_OAEP_SHA_1));
        assertThat(wrong).isInstanceOf(IncorrectKeyMaterialException.class);
        importMaterial(id, material, AlgorithmSpec.RSAES_OAEP_SHA_1);
        assertThat(kms.decrypt(b -> b.ciphertextBlob(ct)).plaintext()).isEqualTo(pt);
        assertError(() -> kms.importKeyMaterial(b -> b.keyId(id).importToken(utf8("not-a-token"))
                .encryptedKeyMaterial(utf8("x")).expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)),
                InvalidImportTokenException.class, "InvalidImportTokenException");
        String aws = newKey();
        assertError(() -> kms.getParametersForImport(b -> b.keyId(aws).wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                .wrappingKeySpec(WrappingKeySpec.RSA_2048)), software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class,
                "UnsupportedOperationException");
    }

    private void importMaterial(String id, byte[] material, AlgorithmSpec alg) {
        GetParametersForImportResponse p = kms.getParametersForImport(b -> b.keyId(id).wrappingAlgorithm(alg)
                .wrappingKeySpec(WrappingKeySpec.RSA_2048));
        assertThat(p.parametersValidTo()).isAfter(Instant.now());
        try {
            java.security.PublicKey pub = java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(p.publicKey().asByteArray()));
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPPadding");
            String h = alg == AlgorithmSpec.RSAES_OAEP_SHA_1 ? "SHA-1" : "SHA-256";
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, pub, new javax.crypto.spec.OAEPParameterSpec(h, "MGF1",
                    new java.security.spec.MGF1ParameterSpec(h), javax.crypto.spec.PSource.PSpecified.DEFAULT));
            byte[] wrapped = c.doFinal(material);
            kms.importKeyMaterial(b -> b.keyId(id).importToken(p.importToken())
                    .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                    .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldReplicateMultiRegionKeysWithTheSameMaterial() {
        KeyMetadata primary = kms.createKey(b -> b.multiRegion(true).description("mrk")).keyMetadata();
        assertThat(primary.keyId()).matches("mrk-[0-9a-f]{32}");
        assertThat(primary.multiRegionConfiguration().multiRegionKeyTypeAsString()).isEqualTo("PRIMARY");
        ReplicateKeyResponse rep = kms.replicateKey(b -> b.keyId(primary.keyId()).replicaRegion("eu-west-1"));
        assertThat(rep.replicaKeyMetadata().arn())
                .isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/" + primary.keyId());
        assertThat(rep.replicaKeyMetadata().multiRegionConfiguration().multiRegionKeyTypeAsString()).isEqualTo("REPLICA");
        assertThat(rep.replicaPolicy()).contains("kms:*");
        SdkBytes pt = utf8("cross-region");
        fx.secret(pt);
        SdkBytes ct = kms.encrypt(b -> b.keyId(primary.keyId()).plaintext(pt)).ciphertextBlob();
        try (KmsClient eu = fx.kms(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET, Region.EU_WEST_1)) {
            DecryptResponse d = eu.decrypt(b -> b.ciphertextBlob(ct));
            assertThat(d.plaintext()).isEqualTo(pt);
            assertThat(d.keyId()).startsWith("arn:aws:kms:eu-west-1:");
        }
        assertThat(kms.describeKey(b -> b.keyId(primary.keyId())).keyMetadata().multiRegionConfiguration().replicaKeys())
                .extracting(MultiRegionKey::region).containsExactly("eu-west-1");
        assertError(() -> kms.replicateKey(b -> b.keyId(primary.keyId()).replicaRegion("eu-west-1")),
                AlreadyExistsException.class, "AlreadyExistsException");
        String single = newKey();
        assertError(() -> kms.replicateKey(b -> b.keyId(single).replicaRegion("eu-west-1")),
                software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class, "UnsupportedOperationException");
    }

    @Test
    void shouldRecordEveryCallIncludingFailuresWithoutSecrets() {
        String id = newKey();
        int before = fx.recordsSnapshot().size();
        SdkBytes pt = utf8("never in the trail please");
        fx.secret(pt);
        kms.encrypt(b -> b.keyId(id).plaintext(pt).encryptionContext(Map.of("Project", "Alpha")));
        kmsError(() -> kms.encrypt(b -> b.keyId("alias/missing").plaintext(pt)));
        List<CloudTrailEvent> after = fx.recordsSnapshot().subList(before, fx.recordsSnapshot().size());
        assertThat(after).hasSize(2);
        CloudTrailEvent ok = after.get(0);
        assertThat(ok.eventName()).isEqualTo("Encrypt");
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.readOnly()).isTrue();
        assertThat(ok.requestParameters().path("encryptionContext").path("Project").asText()).isEqualTo("Alpha");
        assertThat(ok.requestParameters().path("encryptionAlgorithm").asText()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(ok.responseElements() == null || ok.responseElements().isNull()).isTrue();
        assertThat(ok.keyArn()).endsWith(id);
        assertThat(ok.userIdentity().type()).isEqualTo("IAMUser");
        assertThat(ok.userIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/admin");
        CloudTrailEvent failed = after.get(1);
        assertThat(failed.errorCode()).isEqualTo("NotFoundException");
        assertThat(failed.errorMessage()).contains("alias/missing");
        after.forEach(e -> TrailRecords.assertShape(e, fx.secrets));
    }

    @Test
    void shouldLookUpEventsWithAttributesAndPaging() {
        String id = newKey();
        for (int i = 0; i < 7; i++) {
            kms.describeKey(b -> b.keyId(id));
        }
        try (var ct = fx.cloudTrail(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET)) {
            String arn = "arn:aws:kms:us-east-1:111122223333:key/" + id;
            var first = ct.lookupEvents(b -> b.maxResults(3).lookupAttributes(attr("ResourceName", arn)));
            assertThat(first.events()).hasSize(3);
            assertThat(first.nextToken()).isNotNull();
            java.util.List<software.amazon.awssdk.services.cloudtrail.model.Event> all = new java.util.ArrayList<>(first.events());
            String token = first.nextToken();
            while (token != null) {
                String t = token;
                var page = ct.lookupEvents(b -> b.maxResults(3).nextToken(t)
                        .lookupAttributes(attr("ResourceName", arn)));
                all.addAll(page.events());
                token = page.nextToken();
            }
            assertThat(all).hasSize(8);
            assertThat(all.get(0).eventName()).isEqualTo("DescribeKey");
            assertThat(all.get(all.size() - 1).eventName()).isEqualTo("CreateKey");
            assertThat(all).extracting(e -> e.eventTime()).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            var e = all.get(0);
            assertThat(e.username()).isEqualTo("admin");
            assertThat(e.accessKeyId()).isEqualTo(EmulatorFixture.ADMIN_KEY);
            assertThat(e.readOnly()).isEqualTo("true");
            assertThat(CloudTrailEvent.parse(e.cloudTrailEvent()).eventId()).isEqualTo(e.eventId());
            var byName = ct.lookupEvents(b -> b.lookupAttributes(attr("EventName", "CreateKey"))
                    .startTime(Instant.now().minusSeconds(3600)).endTime(Instant.now().plusSeconds(60)));
            assertThat(byName.events()).isNotEmpty().allSatisfy(x -> assertThat(x.eventName()).isEqualTo("CreateKey"));
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.maxResults(51)))
                    .isInstanceOf(software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException.class);
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.lookupAttributes(
                    attr("EventName", "A"),
                    attr("EventName", "B"))))
                    .isInstanceOf(software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException.class);
        }
    }

    private static software.amazon.awssdk.services.cloudtrail.model.LookupAttribute attr(String key, String value) {
        return software.amazon.awssdk.services.cloudtrail.model.LookupAttribute.builder().attributeKey(key)
                .attributeValue(value).build();
    }

    private CloudTrailEvent lastRecord(String eventName) {
        List<CloudTrailEvent> all = fx.recordsSnapshot();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).eventName().equals(eventName)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no " + eventName + " record");
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
