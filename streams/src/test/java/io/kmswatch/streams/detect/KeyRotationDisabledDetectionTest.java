package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.disableKeyRotation;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRotationDisabledDetectionTest {
    private static final String ID = KeyRotationDisabledDetection.ID;

    @Test
    void shouldFireWhenRotationDisabled() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKeyRotation().at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(d.runbook().commands()).contains(
                        "aws kms enable-key-rotation --key-id " + KEY_ARN + " --region us-east-1");
            });
        }
    }

    @Test
    void shouldOnlyResolveOnEnableKeyRotation() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(disableKeyRotation().at(T0), event("EnableKeyRotation").at(T0.plusSeconds(20)))
                    .detections();
            assertThat(out).extracting(Detection::resolves).containsExactly(false, true);
            assertThat(out.get(1).fingerprint()).isEqualTo(out.get(0).fingerprint());
            assertThat(h.pipe(event("EnableKeyRotation").at(T0.plusSeconds(30))).detections()).allMatch(Detection::resolves);
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(disableKeyRotation().at(T0),
                disableKeyRotation().at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0)))).isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = disableKeyRotation().build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireForServiceInvokedCall() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKeyRotation().invokedBy("cloudformation.amazonaws.com")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenCallFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKeyRotation().error("UnsupportedOperationException", "asymmetric")).detections())
                    .isEmpty();
        }
    }
}
