package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossAccountKeyUseDetectionTest {
    private static final String ID = CrossAccountKeyUseDetection.ID;
    private static final String FOREIGN = "arn:aws:iam::444455556666:role/reader";

    /** The key owner's copy of a Decrypt by another account's role. */
    private static CloudTrailFixtures.Builder foreignDecrypt() {
        return decrypt().principal(FOREIGN).recipientAccount(ACCOUNT).sharedEventId("5f3a6a3c-aaaa-bbbb-cccc-000000000001");
    }

    @Test
    void shouldFireOnFirstUseByAnUntrustedAccount() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(foreignDecrypt().at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.HIGH);
                assertThat(d.attributes()).containsEntry("callerAccount", "444455556666");
                assertThat(d.runbook().commands()).anyMatch(c -> c.startsWith("aws kms get-key-policy"));
            });
        }
    }

    @Test
    void shouldGiveOnlyALowNoticeOnFirstUseOfATrustedPairOfAKeyKnownForItsLearningPeriod() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedAccounts(List.of(ACCOUNT, "444455556666"));
        try (Harness h = new Harness(c)) {
            Instant later = T0.plus(Duration.ofDays(1)).plusSeconds(1);
            List<Detection> out = h.pipe(decrypt().at(T0), foreignDecrypt().at(later),
                    foreignDecrypt().at(later.plusSeconds(5))).detections();
            assertThat(out).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.LOW);
                assertThat(d.attributes()).containsEntry("trustedPair", "true");
            });
        }
    }

    @Test
    void shouldLearnTrustedPairsSilentlyWhileTheKeyIsNew() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedAccounts(List.of(ACCOUNT, "444455556666"));
        try (Harness h = new Harness(c)) {
            List<Detection> out = h.pipe(decrypt().at(T0), foreignDecrypt().at(T0.plus(Duration.ofHours(23))),
                    foreignDecrypt().at(T0.plus(Duration.ofDays(3)))).detections();
            assertThat(out).isEmpty();
        }
    }

    @Test
    void shouldNeverCallATrustedCallerOnAnUntrustedOwnersKeyATrustedPair() {
        // the demo: our trusted account encrypts under a key of an untrusted account; the key owner's copy
        String attackerKey = "arn:aws:kms:us-east-1:999900001111:key/0b0b0b0b-1111-2222-3333-444455556666";
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID, ExternalKeyEncryptionDetection.ID)
                .withTrustedAccounts(List.of(ACCOUNT, "444455556666"));
        try (Harness h = new Harness(c)) {
            List<Detection> out = h.pipe(CloudTrailFixtures.encrypt().key(attackerKey).recipientAccount("999900001111")
                    .at(T0), CloudTrailFixtures.encrypt().key(attackerKey).recipientAccount(ACCOUNT)
                    .at(T0.plusSeconds(1))).detections();
            assertThat(out).noneMatch(d -> d.detection().equals(ID));
            assertThat(out).extracting(Detection::detection).containsExactly(ExternalKeyEncryptionDetection.ID);
        }
    }

    @Test
    void shouldGiveNoTrustedNoticeWhenOnlyTheCallersAccountIsTrusted() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID).withTrustedAccounts(List.of("444455556666"));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(foreignDecrypt().at(T0)).detections()).noneMatch(d -> d.attributes().containsKey("trustedPair"));
        }
    }

    @Test
    void shouldNotFireForSameAccountOrForTheCallersOwnCopy() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt(), foreignDecrypt().recipientAccount("444455556666")).detections()).isEmpty();
        }
    }

    @Test
    void shouldStartAFreshFingerprintInTheNextWindowAndEscalateWithin() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(foreignDecrypt().at(T0), foreignDecrypt().at(T0.plusSeconds(1)));
            List<Detection> out = h.pipe(foreignDecrypt().at(T0.plus(Duration.ofDays(1)))).detections();
            assertThat(out).extracting(Detection::tier).containsExactly(0, 1, 0);
            assertThat(out.get(2).fingerprint()).isNotEqualTo(out.get(0).fingerprint());
        }
    }

    @Test
    void shouldGiveTheSameFiringsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(foreignDecrypt().at(T0), foreignDecrypt().at(T0.plusSeconds(30)),
                foreignDecrypt().at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(2), events.get(0), events.get(1))))
                .isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldCountADuplicateDeliveryOnce() {
        CloudTrailEvent e = foreignDecrypt().build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).extracting(Detection::tier).containsExactly(0);
        }
    }

    @Test
    void shouldIgnoreAwsItselfButNotAServiceActingForAForeignPrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().serviceEvent("444455556666")).detections()).isEmpty();
            assertThat(h.pipe(foreignDecrypt().invokedBy("s3.amazonaws.com")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotCountFailedCalls() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(foreignDecrypt().error("AccessDeniedException", "no")).detections()).isEmpty();
        }
    }
}
