package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kmswatch.events.CloudTrailEvent;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running emulator for one test class, with SDK v2 clients for its principals, every CloudTrail record it
 * emitted, and the secrets (plaintexts, data keys) tests saw, so that records can be checked never to contain them.
 */
final class EmulatorFixture implements AutoCloseable {
    static final String ACCOUNT_A = "111122223333";
    static final String ACCOUNT_B = "444455556666";
    static final String ADMIN_KEY = EmulatorConfig.DEFAULT_ACCESS_KEY_ID;
    static final String ADMIN_SECRET = EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY;

    final KmsEmulator emulator;
    final List<CloudTrailEvent> records = Collections.synchronizedList(new ArrayList<>());
    final Set<String> secrets = ConcurrentHashMap.newKeySet();

    EmulatorFixture(EmulatorConfig config) {
        emulator = KmsEmulator.start(config.withPort(0));
        emulator.addListener(records::add);
    }

    /** The default account plus a second account B and extra principals used by policy tests. */
    static EmulatorConfig twoAccounts() {
        List<JsonNode> allowAll = List.of(new TextNode(EmulatorConfig.ALLOW_KMS_ALL));
        EmulatorConfig.AccountConfig a = new EmulatorConfig.AccountConfig(ACCOUNT_A, List.of(
                new EmulatorConfig.UserConfig("admin", ADMIN_KEY, ADMIN_SECRET, allowAll, List.of()),
                new EmulatorConfig.UserConfig("alice", "AKIAALICEEXAMPLE0001", "alice-secret", allowAll, List.of()),
                new EmulatorConfig.UserConfig("nopolicy", "AKIANOPOLICYEXAMPL01", "nopolicy-secret", List.of(),
                        List.of()),
                new EmulatorConfig.UserConfig("s3svc", "AKIAS3SERVICEEXAMP01", "s3-secret", allowAll,
                        List.of("s3.amazonaws.com"))),
                List.of(new EmulatorConfig.RoleConfig("app", allowAll, List.of(
                        new EmulatorConfig.SessionConfig("app-session", "ASIAAPPSESSIONEXAM01", "app-secret")),
                        List.of())),
                List.of());
        EmulatorConfig.AccountConfig b = new EmulatorConfig.AccountConfig(ACCOUNT_B, List.of(
                new EmulatorConfig.UserConfig("bob", "AKIABOBEXAMPLE000001", "bob-secret", allowAll, List.of()),
                new EmulatorConfig.UserConfig("carol", "AKIACAROLEXAMPLE0001", "carol-secret", List.of(), List.of())),
                List.of(), List.of());
        return EmulatorConfig.defaults().withAccounts(List.of(a, b));
    }

    KmsClient kms(String accessKey, String secret) {
        return KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    KmsClient kms(String accessKey, String secret, Region region) {
        return KmsClient.builder().endpointOverride(emulator.endpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    KmsClient admin() {
        return kms(ADMIN_KEY, ADMIN_SECRET);
    }

    CloudTrailClient cloudTrail(String accessKey, String secret) {
        return CloudTrailClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Remembers a secret in every encoding a record could leak it in. */
    void secret(SdkBytes bytes) {
        secret(bytes.asByteArray());
    }

    void secret(byte[] b) {
        if (b.length >= 8) {
            secrets.add(Base64.getEncoder().encodeToString(b));
            secrets.add(HexFormat.of().formatHex(b));
            secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
    }

    List<CloudTrailEvent> recordsSnapshot() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
