package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.cancelKeyDeletion;
import static io.kmswatch.events.CloudTrailFixtures.scheduleKeyDeletion;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.PlannedRetirement;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyDeletionScheduledDetectionTest {
    private static final String ID = KeyDeletionScheduledDetection.ID;

    @Test
    void shouldFireWithWindowDeletionDateAndCancelThenEnableRunbook() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(scheduleKeyDeletion(30).at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.HIGH);
                assertThat(d.attributes()).containsEntry("pendingWindowInDays", "30")
                        .containsEntry("deletionDate", T0.plus(30, ChronoUnit.DAYS).toString());
                assertThat(d.runbook().commands()).containsSubsequence(
                        "aws kms cancel-key-deletion --key-id " + KEY_ARN + " --region us-east-1",
                        "aws kms enable-key --key-id " + KEY_ARN + " --region us-east-1");
            });
        }
    }

    @Test
    void shouldEscalateAtTheMinimumWindowOnly() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(scheduleKeyDeletion(7)).detections().get(0).severity()).isEqualTo(Severity.CRITICAL);
            assertThat(h.pipe(scheduleKeyDeletion(8)).detections().get(0).severity()).isEqualTo(Severity.HIGH);
        }
    }

    @Test
    void shouldReadHumanDeletionDatesAsAwsLogsThem() {
        assertThat(DeletionDates.of(withDeletionDate(7, "Apr 12, 2021 18:58:30 PM")))
                .isEqualTo("2021-04-12T18:58:30Z");
        assertThat(DeletionDates.of(withDeletionDate(7, "Nov 2, 2021, 11:25:25 PM")))
                .isEqualTo("2021-11-02T23:25:25Z");
        assertThat(DeletionDates.of(withDeletionDate(9, "soon"))).isEqualTo(T0.plus(9, ChronoUnit.DAYS));
    }

    private static CloudTrailEvent withDeletionDate(int days, String date) {
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                (com.fasterxml.jackson.databind.node.ObjectNode) scheduleKeyDeletion(days).at(T0).tree();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("responseElements")).put("deletionDate", date);
        return CloudTrailEvent.parse(tree.toString());
    }

    @Test
    void shouldResolveOnCancelKeyDeletion() {
        try (Harness h = Harness.only(ID)) {
            List<Detection> out = h.pipe(scheduleKeyDeletion(30).at(T0), cancelKeyDeletion().at(T0.plusSeconds(10)))
                    .detections();
            assertThat(out).extracting(Detection::resolves).containsExactly(false, true);
            assertThat(out.get(1).fingerprint()).isEqualTo(out.get(0).fingerprint());
        }
    }

    @Test
    void shouldStayQuietForPlannedRetirementAndTrustedTags() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withPlannedRetirements(List.of(new PlannedRetirement(KEY_ARN, T0.plusSeconds(1), null)));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(scheduleKeyDeletion(7).at(T0)).detections()).isEmpty();
        }
        DetectionsConfig tagged = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedKeyTags(Map.of("lifecycle", "ephemeral"));
        try (Harness h = new Harness(tagged)) {
            h.pipe(io.kmswatch.events.CloudTrailFixtures.event("TagResource").at(T0)
                    .param("tags", List.of(Map.of("TagKey", "lifecycle", "TagValue", "ephemeral"))));
            assertThat(h.pipe(scheduleKeyDeletion(7).at(T0.plusSeconds(5))).detections()).isEmpty();
        }
    }

    @Test
    void shouldStayQuietForAPlannedRetirementTaggedAtCreateKeyAsCloudTrailLogsTags() {
        // the demo's look-alike: CreateKey with the tag (CloudTrail spells it {tagKey, tagValue}), then a
        // 30-day ScheduleKeyDeletion; run to the deletion date and past it with a settle tick
        DetectionsConfig c = DetectionsConfig.defaultConfig()
                .withTrustedKeyTags(Map.of("kmswatch:planned-retirement", "true"));
        try (Harness h = new Harness(c)) {
            h.pipe(io.kmswatch.events.CloudTrailFixtures.event("CreateKey").at(T0)
                    .response("keyMetadata", Map.of("arn", KEY_ARN))
                    .param("tags", List.of(Map.of("tagKey", "kmswatch:planned-retirement", "tagValue", "true"))));
            h.pipe(scheduleKeyDeletion(30).at(T0.plus(java.time.Duration.ofMinutes(30))));
            h.tick(T0.plus(java.time.Duration.ofDays(31)));
            assertThat(h.detections()).extracting(d -> d.detection())
                    .doesNotContain(ID, KeyDeletionPendingDetection.ID, KeyDestructionChainDetection.ID);
        }
    }

    @Test
    void shouldReadTagResourceTagsInEitherSpelling() {
        KeyFacts facts = KeyFacts.unseen(KEY_ARN, T0)
                .apply(io.kmswatch.events.CloudTrailFixtures.event("TagResource").at(T0)
                        .param("tags", List.of(Map.of("tagKey", "Department", "tagValue", "IT"))).build())
                .apply(io.kmswatch.events.CloudTrailFixtures.event("TagResource").at(T0.plusSeconds(1))
                        .param("tags", List.of(Map.of("TagKey", "lifecycle", "TagValue", "ephemeral"))).build());
        assertThat(facts.tags()).containsEntry("Department", "IT").containsEntry("lifecycle", "ephemeral");
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(scheduleKeyDeletion(30).at(T0),
                cancelKeyDeletion().at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0))))
                .isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = scheduleKeyDeletion(30).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireForServiceInvokedScheduleButNotForDeleteKeyServiceEvent() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(scheduleKeyDeletion(30).invokedBy("cloudformation.amazonaws.com")).detections()).hasSize(1);
            assertThat(h.pipe(io.kmswatch.events.CloudTrailFixtures.event("DeleteKey").serviceEvent("111122223333"))
                    .detections()).isEmpty();
        }
    }

    @Test
    void shouldNotFireWhenScheduleFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(scheduleKeyDeletion(7).error("KMSInvalidStateException", "pending")).detections()).isEmpty();
        }
    }
}
