package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ROLE_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccessDeniedBurstDetectionTest {
    private static final String ID = AccessDeniedBurstDetection.ID;
    /** Window [T0, T0+5m). */
    private static final Instant W = T0;

    private static CloudTrailFixtures.Builder denied(Instant at) {
        return decrypt().at(at).error("AccessDeniedException", "not authorized");
    }

    private static List<CloudTrailEvent> burst(int n, Instant start, Duration step) {
        List<CloudTrailEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(denied(start.plus(step.multipliedBy(i))).build());
        }
        return out;
    }

    @Test
    void shouldFireAtTheTenthDenialInAWindowNotAtWindowClose() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(burst(10, W, Duration.ofSeconds(10))).detections();
            assertThat(out).singleElement().satisfies(d -> {
                assertThat(d.principal()).isEqualTo(ROLE_ARN);
                assertThat(d.count()).isEqualTo(10);
                assertThat(d.evidence()).hasSize(10);
                assertThat(d.lastEventTime()).isEqualTo(W.plusSeconds(90));
            });
        }
    }

    @Test
    void shouldNotFireJustBelowTheThreshold() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(burst(9, W, Duration.ofSeconds(10))).detections()).isEmpty();
        }
    }

    @Test
    void shouldNotAddCountsAcrossAWindowBoundary() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(burst(5, W.plusSeconds(240), Duration.ofSeconds(10))).pipe(burst(5, W.plusSeconds(300),
                    Duration.ofSeconds(10))).detections()).isEmpty();
        }
    }

    @Test
    void shouldRefireOnlyAtHigherTiers() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(burst(50, W, Duration.ofSeconds(1))).detections()).extracting(Detection::tier)
                    .containsExactly(0, 1, 2);
        }
    }

    @Test
    void shouldGiveTheSameFiringsForShuffledInputWithinTheGraceAndDropLaterOnes() {
        List<CloudTrailEvent> events = new ArrayList<>(burst(25, W, Duration.ofSeconds(11)));
        events.addAll(burst(12, W.plusSeconds(300), Duration.ofSeconds(7)));
        List<CloudTrailEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(42));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, shuffled)).isEqualTo(Harness.identities(c, Harness.sorted(events))).hasSize(3);

        try (Harness h = Harness.only(ID)) {
            h.pipe(denied(W.plus(Duration.ofMinutes(21))));
            assertThat(h.pipe(burst(10, W, Duration.ofSeconds(1))).detections()).as("window end + grace passed").isEmpty();
        }
    }

    @Test
    void shouldCountADuplicateDeliveryOnce() {
        List<CloudTrailEvent> nine = burst(9, W, Duration.ofSeconds(10));
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(nine).pipe(nine.get(0)).detections()).isEmpty();
        }
    }

    @Test
    void shouldIgnoreErrorsOfCallsAServiceMadeForThePrincipal() {
        try (Harness h = Harness.only(ID)) {
            for (int i = 0; i < 12; i++) {
                h.pipe(denied(W.plusSeconds(i)).invokedBy("config.amazonaws.com"));
            }
            assertThat(h.detections()).isEmpty();
        }
    }

    @Test
    void shouldNotCountSuccessfulOrOtherFailedCalls() {
        try (Harness h = Harness.only(ID)) {
            for (int i = 0; i < 12; i++) {
                h.pipe(decrypt().at(W.plusSeconds(i)), decrypt().at(W.plusSeconds(i)).error("ThrottlingException", "slow"));
            }
            assertThat(h.detections()).isEmpty();
        }
    }
}
