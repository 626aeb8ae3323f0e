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

    @Test
    void shouldFireForAPrincipalFirstSeenAfterTheLearningPeriod() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0));
            assertThat(h.pipe(decrypt().principal(NEWCOMER).at(LEARNED)).detections()).singleElement().satisfies(d -> {
                assertThat(d.principal()).isEqualTo(NEWCOMER);
                assertThat(d.keyArn()).isEqualTo(KEY_ARN);
            });
        }
    }

    @Test
    void shouldLearnSilentlyUntilJustBeforeTheEndOfTheLearningPeriod() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED.minusSeconds(1)));
            assertThat(h.pipe(decrypt().principal(NEWCOMER).at(LEARNED.plusSeconds(5))).detections()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheSameFiringsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED),
                decrypt().principal(NEWCOMER).at(LEARNED.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(0), events.get(2), events.get(1))))
                .isEqualTo(Harness.identities(c, events)).hasSize(1);
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = decrypt().principal(NEWCOMER).at(LEARNED).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().at(T0)).pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldExcludeServiceCallersAndTrustedPrincipals() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedPrincipals(List.of("arn:aws:iam::111122223333:role/deploy-*"));
        try (Harness h = new Harness(c)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED).invokedBy("secretsmanager.amazonaws.com"),
                    decrypt().principal("arn:aws:iam::111122223333:role/deploy-ci").at(LEARNED));
            assertThat(h.detections()).isEmpty();
        }
    }

    @Test
    void shouldNotCountFailedCalls() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED).error("AccessDeniedException", "no"));
            assertThat(h.detections()).isEmpty();
        }
    }
}
