package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.enableKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.PlannedRetirement;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDisabledDetectionTest {
    private static final String ID = KeyDisabledDetection.ID;

    @Test
    void shouldFireWithRunbookWhenKeyDisabled() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(disableKey().at(T0)).detections();
            assertThat(out).singleElement().satisfies(d -> {
                assertThat(d.detection()).isEqualTo(ID);
                assertThat(d.severity()).isEqualTo(Severity.HIGH);
                assertThat(d.keyArn()).isEqualTo(KEY_ARN);
                assertThat(d.resolves()).isFalse();
                assertThat(d.runbook().commands()).contains(
                        "aws kms enable-key --key-id " + KEY_ARN + " --region us-east-1");
                assertThat(d.runbook().commands()).anyMatch(c -> c.startsWith(
                        "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=" + KEY_ARN));
            });
        }
    }

    @Test
    void shouldOnlyResolveOnEnableKeyWithTheDisableFingerprint() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(disableKey().at(T0), enableKey().at(T0.plusSeconds(60))).detections();
            assertThat(out).extracting(Detection::resolves).containsExactly(false, true);
            assertThat(out.get(1).fingerprint()).isEqualTo(out.get(0).fingerprint());
        }
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(enableKey().at(T0)).detections()).allMatch(Detection::resolves);
        }
    }

    @Test
    void shouldStayQuietForPlannedRetirementUntilItsEnd() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withPlannedRetirements(List.of(new PlannedRetirement(KEY_ARN, T0.plusSeconds(3600), "migration")));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(disableKey().at(T0.plusSeconds(3599))).detections()).isEmpty();
            assertThat(h.pipe(disableKey().at(T0.plusSeconds(3600))).detections()).hasSize(1);
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(disableKey().at(T0), enableKey().at(T0.plusSeconds(60)),
                disableKey().at(T0.plusSeconds(120))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(2), events.get(0), events.get(1))))
                .isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = disableKey().at(T0).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireForServiceInvokedDisableNamingTheService() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().invokedBy("cloudformation.amazonaws.com")).detections())
                    .singleElement().satisfies(d -> assertThat(d.attributes())
                            .containsEntry("invokedBy", "cloudformation.amazonaws.com"));
        }
    }

    @Test
    void shouldNotFireWhenDisableKeyFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().error("AccessDeniedException", "not authorized")).detections()).isEmpty();
        }
    }

    @Test
    void shouldDowngradeForTrustedPrincipal() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedPrincipals(List.of("arn:aws:iam::111122223333:role/*"));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(disableKey()).detections()).singleElement()
                    .satisfies(d -> assertThat(d.severity()).isEqualTo(Severity.LOW));
        }
    }
}
