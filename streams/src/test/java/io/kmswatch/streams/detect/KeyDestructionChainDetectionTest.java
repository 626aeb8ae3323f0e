package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.cancelKeyDeletion;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.scheduleKeyDeletion;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDestructionChainDetectionTest {
    private static final String ID = KeyDestructionChainDetection.ID;

    @Test
    void shouldFireOnDisableThenScheduleAndEscalateOnDeleteKey() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(disableKey().at(T0), scheduleKeyDeletion(7).at(T0.plusSeconds(600)),
                    CloudTrailFixtures.event("DeleteKey").serviceEvent(ACCOUNT).at(T0.plus(Duration.ofDays(7))))
                    .detections();
            assertThat(out).extracting(Detection::tier).containsExactly(0, 1);
            assertThat(out.get(1).severity()).isEqualTo(Severity.CRITICAL);
            assertThat(out.get(1).fingerprint()).isEqualTo(out.get(0).fingerprint());
            assertThat(out.get(0).evidence()).hasSize(2);
        }
    }

    @Test
    void shouldNotFireOnOneStepAlone() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().at(T0)).detections()).isEmpty();
        }
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(scheduleKeyDeletion(30).at(T0)).detections()).isEmpty();
        }
    }

    @Test
    void shouldFireOnlyWithinTheWindow() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().at(T0), scheduleKeyDeletion(7).at(T0.plus(Duration.ofHours(24))))
                    .detections()).hasSize(1);
        }
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().at(T0), scheduleKeyDeletion(7).at(T0.plus(Duration.ofHours(24)).plusSeconds(1)))
                    .detections()).isEmpty();
        }
    }

    @Test
    void shouldFormTheSameChainWhicheverStepArrivesFirst() {
        List<CloudTrailEvent> events = Harness.build(List.of(disableKey().at(T0), scheduleKeyDeletion(7).at(T0.plusSeconds(60)),
                CloudTrailFixtures.event("DeleteKey").serviceEvent(ACCOUNT).at(T0.plus(Duration.ofDays(7)))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0), events.get(2))))
                .isEqualTo(Harness.identities(c, events)).hasSize(2);
    }

    @Test
    void shouldCloseTheChainWithAResolveOnCancel() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(disableKey().at(T0), scheduleKeyDeletion(7).at(T0.plusSeconds(60)),
                    cancelKeyDeletion().at(T0.plusSeconds(120))).detections();
            assertThat(out).extracting(Detection::resolves).containsExactly(false, true);
        }
    }

    @Test
    void shouldFireOnceWhenStepsDeliveredTwice() {
        CloudTrailEvent d = disableKey().at(T0).build();
        CloudTrailEvent s = scheduleKeyDeletion(7).at(T0.plusSeconds(1)).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(List.of(d, s, d, s)).detections()).hasSize(1);
        }
    }

    @Test
    void shouldCountServiceInvokedStepsAsSteps() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().at(T0).invokedBy("cloudformation.amazonaws.com"),
                    scheduleKeyDeletion(7).at(T0.plusSeconds(1)).invokedBy("cloudformation.amazonaws.com"))
                    .detections()).hasSize(1);
        }
    }

    @Test
    void shouldIgnoreFailedSteps() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(disableKey().at(T0), scheduleKeyDeletion(7).at(T0.plusSeconds(1))
                    .error("AccessDeniedException", "no")).detections()).isEmpty();
        }
    }
}
