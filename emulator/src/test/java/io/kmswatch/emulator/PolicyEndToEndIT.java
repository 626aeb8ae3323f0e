package io.kmswatch.emulator;

import io.kmswatch.events.CloudTrailEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Authorization end to end through the SDK: key policy vs IAM policy, explicit deny, the IAM-enable statement,
 * cross-account (one- and two-sided) with the two-record trail, grants with constraints, assumed-role sessions
 * and calls through an AWS service; plus SigV4 rejections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyEndToEndIT {
    private static final String A = EmulatorFixture.ACCOUNT_A;
    private static final String B = EmulatorFixture.ACCOUNT_B;
    private EmulatorFixture fx;
    private KmsClient admin;
    private KmsClient alice;
    private KmsClient bob;
    private KmsClient carol;
    private KmsClient nopolicy;

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(EmulatorFixture.twoAccounts());
        admin = fx.admin();
        alice = fx.kms("AKIAALICEEXAMPLE0001", "alice-secret");
        bob = fx.kms("AKIABOBEXAMPLE000001", "bob-secret");
        carol = fx.kms("AKIACAROLEXAMPLE0001", "carol-secret");
        nopolicy = fx.kms("AKIANOPOLICYEXAMPL01", "nopolicy-secret");
    }

    @AfterAll
    void stop() {
        fx.recordsSnapshot().forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        fx.close();
    }

    private static SdkBytes utf8(String s) {
        return SdkBytes.fromString(s, StandardCharsets.UTF_8);
    }

    private static String enableIam(String account) {
        return "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private String keyWithPolicy(String policy) {
        return admin.createKey(b -> b.policy(policy)).keyMetadata().arn();
    }

    private static KmsException denied(Runnable r) {
        KmsException e = catchThrowableOfType(KmsException.class, r::run);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        return e;
    }

    @Test
    void shouldLetExplicitDenyInKeyPolicyWinOverIamAllow() {
        String arn = keyWithPolicy(policy(enableIam(A),
                "{\"Sid\":\"DenyAliceDecrypt\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + A
                        + ":user/alice\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"));
        SdkBytes pt = utf8("deny wins");
        fx.secret(pt);
        SdkBytes ct = alice.encrypt(b -> b.keyId(arn).plaintext(pt)).ciphertextBlob();
        KmsException e = denied(() -> alice.decrypt(b -> b.ciphertextBlob(ct)));
        assertThat(e.awsErrorDetails().errorMessage())
                .startsWith("User: arn:aws:iam::" + A + ":user/alice is not authorized to perform: kms:Decrypt on resource: " + arn)
                .contains("explicit deny");
        assertThat(admin.decrypt(b -> b.ciphertextBlob(ct)).plaintext()).isEqualTo(pt);
        CloudTrailEvent rec = last("Decrypt", "alice");
        assertThat(rec.errorCode()).isEqualTo("AccessDeniedException");
        assertThat(rec.errorMessage()).contains("explicit deny");
    }

    @Test
    void shouldIgnoreIamPoliciesWhenKeyPolicyHasNoIamEnableStatement() {
        String arn = keyWithPolicy(policy("{\"Sid\":\"AdminOnly\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + A + ":user/admin\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"));
        KmsException e = denied(() -> alice.encrypt(b -> b.keyId(arn).plaintext(utf8("x"))));
        assertThat(e.awsErrorDetails().errorMessage()).contains("no resource-based policy allows the kms:Encrypt action");
        admin.encrypt(b -> b.keyId(arn).plaintext(utf8("admin may")));
    }

    @Test
    void shouldNeedBothKeyPolicyAndCallerIamPolicyAcrossAccounts() {
        String twoSided = keyWithPolicy(policy(enableIam(A),
                "{\"Sid\":\"AllowAccountB\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + B
                        + ":root\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}"));
        SdkBytes pt = utf8("cross account payload");
        fx.secret(pt);
        SdkBytes ct = bob.encrypt(b -> b.keyId(twoSided).plaintext(pt)).ciphertextBlob();
        assertThat(bob.decrypt(b -> b.ciphertextBlob(ct)).plaintext()).isEqualTo(pt);
        List<CloudTrailEvent> copies = fx.recordsSnapshot().stream()
                .filter(r -> "Encrypt".equals(r.eventName()) && twoSided.equals(r.keyArn())).toList();
        assertThat(copies).hasSize(2);
        assertThat(copies).extracting(CloudTrailEvent::recipientAccountId).containsExactlyInAnyOrder(A, B);
        assertThat(copies.get(0).sharedEventId()).isNotNull().isEqualTo(copies.get(1).sharedEventId());
        assertThat(copies.get(0).eventId()).isNotEqualTo(copies.get(1).eventId());
        assertThat(copies).allSatisfy(r -> {
            assertThat(r.isCrossAccount()).isTrue();
            assertThat(r.userIdentity().accountId()).isEqualTo(B);
            assertThat(r.keyAccountId()).isEqualTo(A);
        });

        // carol is in account B without an IAM policy: the key policy alone is not enough across accounts.
        int before = fx.recordsSnapshot().size();
        denied(() -> carol.encrypt(b -> b.keyId(twoSided).plaintext(utf8("no"))));
        List<CloudTrailEvent> deniedCopies = fx.recordsSnapshot().subList(before, fx.recordsSnapshot().size());
        assertThat(deniedCopies).singleElement().satisfies(r -> {
            assertThat(r.recipientAccountId()).isEqualTo(B);
            assertThat(r.sharedEventId()).isNull();
            assertThat(r.errorCode()).isEqualTo("AccessDeniedException");
        });

        // Key management is never cross-account, whatever the key policy says.
        KmsException mgmt = catchThrowableOfType(KmsException.class, () -> bob.disableKey(b -> b.keyId(twoSided)));
        assertThat(mgmt.awsErrorDetails().errorCode()).isEqualTo("NotFoundException");

        String oneSided = keyWithPolicy(policy(enableIam(A)));
        denied(() -> bob.encrypt(b -> b.keyId(oneSided).plaintext(utf8("no"))));
    }

    @Test
    void shouldLetGranteeUseExactlyTheGrantedOperationsWithinConstraints() {
        String arn = keyWithPolicy(policy("{\"Sid\":\"AdminOnly\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + A + ":user/admin\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"));
        denied(() -> nopolicy.encrypt(b -> b.keyId(arn).plaintext(utf8("x")).encryptionContext(Map.of("Dept", "IT"))));
        var grant = admin.createGrant(b -> b.keyId(arn).granteePrincipal("arn:aws:iam::" + A + ":user/nopolicy")
                .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT)
                .constraints(c -> c.encryptionContextSubset(Map.of("Dept", "IT"))));
        SdkBytes pt = utf8("granted");
        fx.secret(pt);
        SdkBytes ct = nopolicy.encrypt(b -> b.keyId(arn).plaintext(pt).encryptionContext(Map.of("Dept", "IT", "x", "y")))
                .ciphertextBlob();
        assertThat(nopolicy.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(Map.of("Dept", "IT", "x", "y")))
                .plaintext()).isEqualTo(pt);
        denied(() -> nopolicy.encrypt(b -> b.keyId(arn).plaintext(utf8("x")).encryptionContext(Map.of("Dept", "HR"))));
        denied(() -> nopolicy.describeKey(b -> b.keyId(arn)));
        admin.revokeGrant(b -> b.keyId(arn).grantId(grant.grantId()));
        denied(() -> nopolicy.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(Map.of("Dept", "IT", "x", "y"))));
    }

    @Test
    void shouldRecordAssumedRoleSessions() {
        try (KmsClient app = fx.kms("ASIAAPPSESSIONEXAM01", "app-secret")) {
            String arn = admin.createKey(b -> b.description("role")).keyMetadata().arn();
            app.encrypt(b -> b.keyId(arn).plaintext(utf8("from a role")));
            fx.secret(utf8("from a role"));
            CloudTrailEvent rec = fx.recordsSnapshot().stream().filter(r -> "Encrypt".equals(r.eventName())
                    && arn.equals(r.keyArn())).findFirst().orElseThrow();
            assertThat(rec.userIdentity().type()).isEqualTo("AssumedRole");
            assertThat(rec.userIdentity().arn()).isEqualTo("arn:aws:sts::" + A + ":assumed-role/app/app-session");
            assertThat(rec.userIdentity().accessKeyId()).startsWith("ASIA");
            assertThat(rec.userIdentity().sessionIssuerArn()).isEqualTo("arn:aws:iam::" + A + ":role/app");
        }
    }

    @Test
    void shouldRecordCallsThroughAnAwsServiceAndEnforceViaService() {
        String arn = keyWithPolicy(policy(enableIam(A),
                "{\"Sid\":\"OnlyViaS3\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:Decrypt\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"},"
                        + "\"StringNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::" + A + ":user/admin\"}}}"));
        try (KmsClient s3 = viaS3Client()) {
            SdkBytes pt = utf8("s3 object key");
            fx.secret(pt);
            SdkBytes ct = s3.encrypt(b -> b.keyId(arn).plaintext(pt)
                    .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/obj"))).ciphertextBlob();
            assertThat(s3.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(Map.of("aws:s3:arn",
                    "arn:aws:s3:::bucket/obj"))).plaintext()).isEqualTo(pt);
            CloudTrailEvent rec = fx.recordsSnapshot().stream().filter(r -> "Decrypt".equals(r.eventName())
                    && arn.equals(r.keyArn()) && r.succeeded()).findFirst().orElseThrow();
            assertThat(rec.userIdentity().invokedBy()).isEqualTo("s3.amazonaws.com");
            assertThat(rec.sourceIpAddress()).isEqualTo("s3.amazonaws.com");
            assertThat(rec.userAgent()).isEqualTo("s3.amazonaws.com");
            assertThat(rec.isServiceCaller()).isTrue();
            try (KmsClient direct = fx.kms("AKIAS3SERVICEEXAMP01", "s3-secret")) {
                denied(() -> direct.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(Map.of("aws:s3:arn",
                        "arn:aws:s3:::bucket/obj"))));
            }
        }
    }

    private KmsClient viaS3Client() {
        return KmsClient.builder().endpointOverride(fx.emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAS3SERVICEEXAMP01", "s3-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .putHeader(KmsHttpServer.VIA_SERVICE_HEADER, "s3.amazonaws.com"))
                .build();
    }

    @Test
    void shouldRejectBadSignaturesAndUnknownAccessKeys() {
        try (KmsClient wrongSecret = fx.kms(EmulatorFixture.ADMIN_KEY, "not-the-secret");
             KmsClient unknown = fx.kms("AKIAUNKNOWNEXAMPLE01", "whatever")) {
            KmsException sig = catchThrowableOfType(KmsException.class, () -> wrongSecret.listKeys());
            assertThat(sig.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            KmsException unk = catchThrowableOfType(KmsException.class, () -> unknown.listKeys());
            assertThat(unk.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        }
        try (KmsClient alicePretendsToBeS3 = KmsClient.builder().endpointOverride(fx.emulator.endpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAALICEEXAMPLE0001", "alice-secret")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .putHeader(KmsHttpServer.VIA_SERVICE_HEADER, "s3.amazonaws.com")).build()) {
            denied(() -> alicePretendsToBeS3.listKeys());
        }
    }

    private CloudTrailEvent last(String eventName, String user) {
        List<CloudTrailEvent> all = fx.recordsSnapshot();
        for (int i = all.size() - 1; i >= 0; i--) {
            CloudTrailEvent e = all.get(i);
            if (e.eventName().equals(eventName) && e.userIdentity().arn().endsWith("/" + user)) {
                return e;
            }
        }
        throw new AssertionError("no record");
    }
}
