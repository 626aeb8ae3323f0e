package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewPrincipalOnKeyDetectionTest {
    private static final String ID = NewPrincipalOnKeyDetection.ID;
    private static final String NEWCOMER = "arn:aws:iam::111122223333:role/newcomer";
    private static final Instant LEARNED = T0.plus(Duration.ofDays(1));
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000009";

    /** Moves stream time past the grace after {@code at}, when novelty is decided. */
    private static io.kmswatch.events.CloudTrailFixtures.Builder afterGrace(Instant at) {
        return decrypt().key(OTHER_KEY).at(at.plus(Duration.ofMinutes(17)));
    }

    @Test
    void shouldFireForAPrincipalFirstSeenAfterTheLearningPeriod() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED));
            assertThat(h.pipe(decrypt().key(OTHER_KEY).at(LEARNED.plus(Duration.ofMinutes(14)))).detections())
                    .as("an earlier sighting may still arrive within the grace").isEmpty();
            assertThat(h.pipe(afterGrace(LEARNED)).detections()).singleElement().satisfies(d -> {
                assertThat(d.principal()).isEqualTo(NEWCOMER);
                assertThat(d.keyArn()).isEqualTo(KEY_ARN);
            });
        }
    }

    @Test
    void shouldLearnSilentlyUntilJustBeforeTheEndOfTheLearningPeriod() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED.minusSeconds(1)));
            assertThat(h.pipe(decrypt().principal(NEWCOMER).at(LEARNED.plusSeconds(5)), afterGrace(LEARNED))
                    .detections()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheSameFiringsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED),
                decrypt().principal(NEWCOMER).at(LEARNED.plusSeconds(60)), afterGrace(LEARNED.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(0), events.get(2), events.get(1), events.get(3))))
                .isEqualTo(Harness.identities(c, events)).hasSize(1);
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = decrypt().principal(NEWCOMER).at(LEARNED).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().at(T0)).pipe(e).pipe(e).pipe(afterGrace(LEARNED)).detections()).hasSize(1);
        }
    }

    @Test
    void shouldExcludeServiceCallersAndTrustedPrincipals() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedPrincipals(List.of("arn:aws:iam::111122223333:role/deploy-*"));
        try (Harness h = new Harness(c)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED).invokedBy("secretsmanager.amazonaws.com"),
                    decrypt().principal("arn:aws:iam::111122223333:role/deploy-ci").at(LEARNED), afterGrace(LEARNED));
            assertThat(h.detections()).isEmpty();
        }
    }

    @Test
    void shouldNotCountFailedCalls() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED).error("AccessDeniedException", "no"),
                    afterGrace(LEARNED));
            assertThat(h.detections()).isEmpty();
        }
    }
}
