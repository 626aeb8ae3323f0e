package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.encrypt;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static io.kmswatch.events.CloudTrailFixtures.generateDataKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExternalKeyEncryptionDetectionTest {
    private static final String ID = ExternalKeyEncryptionDetection.ID;
    private static final String ATTACKER_KEY = "arn:aws:kms:us-east-1:999999999999:key/attacker-key-id";

    private static CloudTrailFixtures.Builder s3Copy(String kmsKey) {
        CloudTrailFixtures.Builder b = event("CopyObject").withoutResources().keyIdAsGiven("unused")
                .param("bucketName", "victim-data").param("key", "a.txt")
                .param("x-amz-server-side-encryption", "aws:kms");
        if (kmsKey != null) {
            b.param(ExternalKeyEncryptionDetection.SSE_KMS_KEY, kmsKey);
        }
        return b;
    }

    private static CloudTrailEvent asS3(CloudTrailFixtures.Builder b) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) b.tree();
        tree.put("eventSource", "s3.amazonaws.com");
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("requestParameters")).remove("keyId");
        return CloudTrailEvent.parse(tree.toString());
    }

    @Test
    void shouldFireCriticalForAnS3WriteUnderAnotherAccountsKey() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(asS3(s3Copy(ATTACKER_KEY).at(T0))).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(d.keyArn()).isEqualTo(ATTACKER_KEY);
                assertThat(d.accountId()).isEqualTo(ACCOUNT);
                assertThat(d.attributes()).containsEntry("bucket", "victim-data");
            });
        }
    }

    @Test
    void shouldFireForKmsEncryptInOurTrailWithAForeignKey() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(generateDataKey().key(ATTACKER_KEY).at(T0)).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireForOwnOrTrustedKeysOrSseC() {
        try (Harness h = new Harness(DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedAccounts(List.of("777788889999")))) {
            h.pipe(asS3(s3Copy("arn:aws:kms:us-east-1:111122223333:key/own")), asS3(s3Copy(null)),
                    asS3(s3Copy("arn:aws:kms:us-east-1:777788889999:key/shared")));
            h.pipe(encrypt(), encrypt().key("arn:aws:kms:us-east-1:999999999999:key/x").principal(
                    "arn:aws:iam::999999999999:role/owner").recipientAccount("999999999999"));
            assertThat(h.detections()).isEmpty();
        }
    }

    @Test
    void shouldFoldAMassReEncryptionIntoTiersOfOneFingerprintPerWindow() {
        try (Harness h = Harness.only(ID)) {
            for (int i = 0; i < 5; i++) {
                h.pipe(asS3(s3Copy(ATTACKER_KEY).at(T0.plusSeconds(i))));
            }
            List<Detection> out = h.pipe(asS3(s3Copy(ATTACKER_KEY).at(T0.plus(Duration.ofHours(1)))))
                    .detections();
            assertThat(out).extracting(Detection::tier).containsExactly(0, 1, 2, 0);
            assertThat(out.get(2).fingerprint()).isEqualTo(out.get(0).fingerprint()).isNotEqualTo(out.get(3).fingerprint());
        }
    }

    @Test
    void shouldGiveTheSameFiringsForOutOfOrderInput() {
        List<CloudTrailEvent> events = List.of(asS3(s3Copy(ATTACKER_KEY).at(T0)), asS3(s3Copy(ATTACKER_KEY).at(T0.plusSeconds(9))),
                asS3(s3Copy(ATTACKER_KEY).at(T0.plusSeconds(20))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(2), events.get(0))))
                .isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldCountADuplicateDeliveryOnce() {
        CloudTrailEvent e = asS3(s3Copy(ATTACKER_KEY));
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireWhenAServiceWritesForThePrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(generateDataKey().key(ATTACKER_KEY).invokedBy("s3.amazonaws.com")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenTheWriteFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(asS3(s3Copy(ATTACKER_KEY).error("AccessDenied", "no"))).detections()).isEmpty();
        }
    }
}
