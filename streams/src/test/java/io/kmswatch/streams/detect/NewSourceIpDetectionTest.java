package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ROLE_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewSourceIpDetectionTest {
    private static final String ID = NewSourceIpDetection.ID;
    private static final Instant LEARNED = T0.plus(Duration.ofDays(1));
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000002";

    /** Moves the per-principal stream time past the grace after {@code at}, when novelty is decided. */
    private static io.kmswatch.events.CloudTrailFixtures.Builder afterGrace(Instant at) {
        return decrypt().principal("arn:aws:iam::111122223333:role/ticker").sourceIp("192.0.2.99")
                .at(at.plus(Duration.ofMinutes(17)));
    }

    @Test
    void shouldFireForAnIpThePrincipalNeverUsedOnAnyKey() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0).sourceIp("192.0.2.10"), decrypt().key(OTHER_KEY).at(LEARNED).sourceIp("203.0.113.7"));
            assertThat(h.pipe(afterGrace(LEARNED)).detections())
                    .singleElement().satisfies(d -> {
                        assertThat(d.principal()).isEqualTo(ROLE_ARN);
                        assertThat(d.attributes()).containsEntry("sourceIp", "203.0.113.7");
                    });
        }
    }

    @Test
    void shouldLearnSilentlyUntilTheEndOfTheLearningPeriodAndIgnoreKnownIps() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0).sourceIp("192.0.2.10"), decrypt().at(LEARNED.minusSeconds(1)).sourceIp("203.0.113.7"));
            assertThat(h.pipe(decrypt().at(LEARNED).sourceIp("203.0.113.7"), decrypt().at(LEARNED).sourceIp("192.0.2.10"),
                    afterGrace(LEARNED)).detections()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheSameFiringsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(decrypt().at(T0).sourceIp("192.0.2.10"),
                decrypt().at(LEARNED).sourceIp("2001:db8::1"), decrypt().at(LEARNED.plusSeconds(30)).sourceIp("2001:db8::1"),
                afterGrace(LEARNED.plusSeconds(30))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(0), events.get(2), events.get(1), events.get(3))))
                .isEqualTo(Harness.identities(c, events)).hasSize(1);
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = decrypt().at(LEARNED).sourceIp("203.0.113.7").build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(decrypt().at(T0)).pipe(e).pipe(e).pipe(afterGrace(LEARNED)).detections()).hasSize(1);
        }
    }

    @Test
    void shouldExcludeServiceCallersAndNonIpSources() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().at(LEARNED).invokedBy("secretsmanager.amazonaws.com"),
                    decrypt().at(LEARNED).sourceIp("AWS Internal"), afterGrace(LEARNED));
            assertThat(h.detections()).isEmpty();
        }
    }

    @Test
    void shouldNotCountFailedCalls() {
        try (Harness h = Harness.only(ID)) {
            h.pipe(decrypt().at(T0), decrypt().at(LEARNED).sourceIp("203.0.113.9").error("AccessDeniedException", "no"),
                    afterGrace(LEARNED));
            assertThat(h.detections()).isEmpty();
        }
    }
}
