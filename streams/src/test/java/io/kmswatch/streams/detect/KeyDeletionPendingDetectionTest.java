package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.cancelKeyDeletion;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.scheduleKeyDeletion;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDeletionPendingDetectionTest {
    private static final String ID = KeyDeletionPendingDetection.ID;
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000001";

    /** Stream time moves with any event: a call on another key, days later. */
    private static CloudTrailFixtures.Builder tick(Instant at) {
        return decrypt().key(OTHER_KEY).at(at);
    }

    @Test
    void shouldFireByStreamTimeThreeDaysBeforeTheDeletionDateOnceTheGraceHasPassed() {
        Instant deletion = T0.plus(10, ChronoUnit.DAYS);
        Instant due = deletion.minus(Duration.ofDays(3));
        try (Harness h = Harness.only(ID)) {
            h.pipe(scheduleKeyDeletion(10).at(T0));
            assertThat(h.pipe(tick(due.plus(Duration.ofMinutes(13)))).detections())
                    .as("a cancel up to the due time may still arrive within the grace").isEmpty();
            List<Detection> out = h.pipe(tick(due.plus(Duration.ofMinutes(16)))).detections();
            assertThat(out).singleElement().satisfies(d -> {
                assertThat(d.keyArn()).isEqualTo(KEY_ARN);
                assertThat(d.attributes()).containsEntry("deletionDate", deletion.toString())
                        .containsEntry("hoursLeft", "72");
                assertThat(d.title()).contains(deletion.toString());
                assertThat(d.runbook().commands().get(0)).startsWith("aws kms cancel-key-deletion --key-id " + KEY_ARN);
            });
            assertThat(h.pipe(tick(deletion.minusSeconds(5))).detections()).as("fires once").isEmpty();
        }
    }

    @Test
    void shouldFireOnceTheGraceHasPassedWhenTheWindowIsShorterThanTheLeadTime() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID).withRule(ID,
                io.kmswatch.streams.RuleSettings.unset().withLeadTime(Duration.ofDays(7)));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(scheduleKeyDeletion(7).at(T0)).detections()).isEmpty();
            assertThat(h.pipe(tick(T0.plus(Duration.ofMinutes(16)))).detections()).hasSize(1);
        }
    }

    @Test
    void shouldBeCancelledByCancelKeyDeletionAndResolveAFiredWarning() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(scheduleKeyDeletion(10).at(T0), cancelKeyDeletion().at(T0.plusSeconds(60)));
            assertThat(h.pipe(tick(T0.plus(9, ChronoUnit.DAYS))).detections()).isEmpty();
        }
        try (Harness h = Harness.only(ID)) {
            h.pipe(scheduleKeyDeletion(10).at(T0), tick(T0.plus(8, ChronoUnit.DAYS)));
            List<Detection> out = h.pipe(cancelKeyDeletion().at(T0.plus(8, ChronoUnit.DAYS).plusSeconds(5))).detections();
            assertThat(out).extracting(Detection::resolves).containsExactly(false, true);
        }
    }

    @Test
    void shouldIgnoreALateScheduleOlderThanItsCancel() {
        List<CloudTrailEvent> events = Harness.build(List.of(scheduleKeyDeletion(10).at(T0),
                cancelKeyDeletion().at(T0.plusSeconds(60)), tick(T0.plus(9, ChronoUnit.DAYS))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0), events.get(2))))
                .isEqualTo(Harness.identities(c, events)).isEmpty();
    }

    @Test
    void shouldFireOnceWhenScheduleDeliveredTwice() {
        CloudTrailEvent e = scheduleKeyDeletion(10).at(T0).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).pipe(tick(T0.plus(8, ChronoUnit.DAYS))).detections()).hasSize(1);
        }
    }

    @Test
    void shouldTrackServiceInvokedSchedulesToo() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(scheduleKeyDeletion(10).at(T0).invokedBy("cloudformation.amazonaws.com"));
            assertThat(h.pipe(tick(T0.plus(8, ChronoUnit.DAYS))).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotStartATimerForAFailedSchedule() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(scheduleKeyDeletion(10).at(T0).error("AccessDeniedException", "no"));
            assertThat(h.pipe(tick(T0.plus(9, ChronoUnit.DAYS))).detections()).isEmpty();
        }
    }
}
