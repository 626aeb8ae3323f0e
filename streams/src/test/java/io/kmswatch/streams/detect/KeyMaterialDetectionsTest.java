package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared cases of key-material-deleted and key-material-imported; each also has its own test class. */
class KeyMaterialDetectionsTest {
    @Test
    void shouldFireOncePerEventAndIgnoreTheOtherOperation() {
        try (Harness h = Harness.only(KeyMaterialDeletedDetection.ID, KeyMaterialImportedDetection.ID)) {
            assertThat(h.pipe(event("GetParametersForImport").at(T0), event("ImportKeyMaterial").at(T0.plusSeconds(1)),
                    event("DeleteImportedKeyMaterial").at(T0.plusSeconds(2))).detections())
                    .extracting(d -> d.detection())
                    .containsExactly(KeyMaterialImportedDetection.ID, KeyMaterialDeletedDetection.ID);
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(event("ImportKeyMaterial").at(T0),
                event("DeleteImportedKeyMaterial").at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig()
                .onlyEnabled(KeyMaterialDeletedDetection.ID, KeyMaterialImportedDetection.ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0)))).isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldNotTreatExpiredMaterialDeletedByAwsAsAPersonsAction() {
        try (Harness h = Harness.only(KeyMaterialDeletedDetection.ID)) {
            assertThat(h.pipe(event("DeleteExpiredKeyMaterial").serviceEvent(ACCOUNT)).detections()).isEmpty();
        }
    }

    @Test
    void shouldDowngradeImportByTrustedPrincipal() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(KeyMaterialImportedDetection.ID)
                .withTrustedPrincipals(List.of("arn:aws:iam::111122223333:role/app"));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(event("ImportKeyMaterial")).detections().get(0).severity()).isEqualTo(Severity.LOW);
        }
    }
}
