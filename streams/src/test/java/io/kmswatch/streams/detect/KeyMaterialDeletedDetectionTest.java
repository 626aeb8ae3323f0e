package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.PlannedRetirement;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyMaterialDeletedDetectionTest {
    private static final String ID = KeyMaterialDeletedDetection.ID;

    @Test
    void shouldFireWhenDeleteImportedKeyMaterialSucceeds() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(event("DeleteImportedKeyMaterial").at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.HIGH);
                assertThat(d.keyArn()).isEqualTo(KEY_ARN);
                assertThat(d.runbook().commands()).isNotEmpty();
            });
        }
    }

    @Test
    void shouldNotFireForTheStepBefore() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(event("GetParametersForImport").at(T0)).detections()).isEmpty();
        }
    }

    @Test
    void shouldStayQuietUntilAPlannedRetirementEnds() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withPlannedRetirements(List.of(new PlannedRetirement(KEY_ARN, T0.plusSeconds(60), null)));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(event("DeleteImportedKeyMaterial").at(T0.plusSeconds(59))).detections()).isEmpty();
            assertThat(h.pipe(event("DeleteImportedKeyMaterial").at(T0.plusSeconds(60))).detections()).hasSize(1);
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(event("DeleteImportedKeyMaterial").at(T0), event("DeleteImportedKeyMaterial").at(T0.plusSeconds(9))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0)))).isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = event("DeleteImportedKeyMaterial").build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireForAServiceActingForAPrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(event("DeleteImportedKeyMaterial").invokedBy("cloudformation.amazonaws.com")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenCallFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(event("DeleteImportedKeyMaterial").error("AccessDeniedException", "no")).detections()).isEmpty();
        }
    }
}
