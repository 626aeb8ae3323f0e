package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyUnusableFailuresDetectionTest {
    private static final String ID = KeyUnusableFailuresDetection.ID;

    private static List<CloudTrailEvent> failures(int n, Instant start) {
        List<CloudTrailEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(decrypt().at(start.plusSeconds(5L * i)).error("DisabledException", "key is disabled").build());
        }
        return out;
    }

    @Test
    void shouldFireAndLinkTheDisableKeyThatCausedIt() {
        CloudTrailEvent disable = disableKey().at(T0.minusSeconds(30)).build();
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(disable).pipe(failures(5, T0)).detections();
            assertThat(out).singleElement().satisfies(d -> {
                assertThat(d.attributes()).containsEntry("cause", "DisableKey")
                        .containsEntry("causeEventId", disable.eventId());
                assertThat(d.evidence()).contains(disable.eventId());
                assertThat(d.runbook().commands().get(0)).startsWith("aws kms enable-key --key-id");
            });
        }
    }

    @Test
    void shouldNotFireJustBelowTheThreshold() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(failures(4, T0)).detections()).isEmpty();
        }
    }

    @Test
    void shouldNotAddCountsAcrossAWindowBoundary() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(failures(3, T0.plusSeconds(280))).pipe(failures(3, T0.plusSeconds(300))).detections())
                    .isEmpty();
        }
    }

    @Test
    void shouldGiveTheSameFiringsForShuffledInput() {
        List<CloudTrailEvent> events = failures(12, T0);
        List<CloudTrailEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(7));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, shuffled)).isEqualTo(Harness.identities(c, events)).hasSize(2);
    }

    @Test
    void shouldCountADuplicateDeliveryOnce() {
        List<CloudTrailEvent> four = failures(4, T0);
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(four).pipe(four).detections()).isEmpty();
        }
    }

    @Test
    void shouldCountFailuresOfCallsMadeThroughServices() {
        try (Harness h = Harness.only(ID)) {
            for (int i = 0; i < 5; i++) {
                h.pipe(decrypt().at(T0.plusSeconds(i)).invokedBy("s3.amazonaws.com")
                        .error("KMSInvalidStateException", "pending deletion"));
            }
            assertThat(h.detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotCountSuccessfulOrDeniedCalls() {
        try (Harness h = Harness.only(ID)) {
            for (int i = 0; i < 6; i++) {
                h.pipe(decrypt().at(T0.plusSeconds(i)), decrypt().at(T0.plusSeconds(i)).error("AccessDeniedException", "x"));
            }
            assertThat(h.detections()).isEmpty();
        }
    }
}
