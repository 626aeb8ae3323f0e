package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.streams.DetectionsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootKeyUsageDetectionTest {
    private static final String ID = RootKeyUsageDetection.ID;
    private static final String ROOT = "arn:aws:iam::111122223333:root";

    @Test
    void shouldFireWhenRootCallsKms() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().principal(ROOT).at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.accountId()).isEqualTo("111122223333");
                assertThat(d.runbook().commands().get(0)).contains("AttributeKey=Username,AttributeValue=root");
            });
        }
    }

    @Test
    void shouldNotFireForOtherPrincipals() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().principal("arn:aws:iam::111122223333:user/alice")).detections()).isEmpty();
        }
    }

    @Test
    void shouldFoldRepeatsIntoOneFingerprint() {
        List<CloudTrailEvent> events = Harness.build(List.of(decrypt().principal(ROOT).at(T0),
                decrypt().principal(ROOT).at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0))))
                .isEqualTo(Harness.identities(c, events)).hasSize(1);
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = decrypt().principal(ROOT).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireWhenAServiceActsForRoot() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().principal(ROOT).invokedBy("s3.amazonaws.com")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenRootCallFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().principal(ROOT).error("AccessDeniedException", "no")).detections()).isEmpty();
        }
    }
}
