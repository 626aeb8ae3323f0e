package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.ROLE_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecryptSpikeDetectionTest {
    private static final String ID = DecryptSpikeDetection.ID;
    private static final Duration W = Duration.ofMinutes(5);
    /** Learning 1 h + grace 15 min: the spike window starts at T0 + 90 min. */
    private static final Instant SPIKE = T0.plus(Duration.ofMinutes(90));

    /** Floor 20 so tests stay small; factor 10, window 5 min, learning 1 h as by default. */
    private static DetectionsConfig config() {
        return DetectionsConfig.defaultConfig().onlyEnabled(ID).withRule(ID, RuleSettings.unset().withFloor(20));
    }

    /** {@code perWindow} decrypts in every 5-minute window of [from, to). */
    private static List<CloudTrailEvent> steady(Instant from, Instant to, int perWindow) {
        List<CloudTrailEvent> out = new ArrayList<>();
        for (Instant w = from; w.isBefore(to); w = w.plus(W)) {
            for (int i = 0; i < perWindow; i++) {
                out.add(decrypt().at(w.plusSeconds(10L * i)).build());
            }
        }
        return out;
    }

    private static List<CloudTrailEvent> burst(Instant start, int n) {
        List<CloudTrailEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(decrypt().at(start.plusMillis(2000L * i)).build());
        }
        return out;
    }

    @Test
    void shouldFirePerKeyAndPerPrincipalWithBaselineAndMonthlyCost() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 3));
            List<Detection> out = h.pipe(burst(SPIKE, 31)).detections();
            assertThat(out).hasSize(2);
            assertThat(out).extracting(d -> d.attributes().get("scope")).containsExactlyInAnyOrder("key", "key+principal");
            Detection perKey = out.stream().filter(d -> d.principal() == null).findFirst().orElseThrow();
            assertThat(perKey.keyArn()).isEqualTo(KEY_ARN);
            assertThat(perKey.attributes()).containsEntry("observed", "31").containsEntry("baseline", "3")
                    .containsEntry("threshold", "31");
            // (31 - 3) requests per 5 min over 30 days at $0.03 per 10,000: 28 * 8640 * 0.000003 = $0.73
            assertThat(perKey.attributes()).containsEntry("monthlyCostImpactUsd", "0.73");
            assertThat(out.stream().filter(d -> d.principal() != null).findFirst().orElseThrow().principal())
                    .isEqualTo(ROLE_ARN);
        }
    }

    @Test
    void shouldNotFireJustBelowFactorTimesBaseline() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 3));
            assertThat(h.pipe(burst(SPIKE, 30)).detections()).isEmpty();
        }
    }

    @Test
    void shouldNotFireBelowTheFloorOrWhileLearning() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 1));
            assertThat(h.pipe(burst(SPIKE, 19)).detections()).as("floor").isEmpty();
        }
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0.plus(Duration.ofMinutes(30)), SPIKE, 1));
            assertThat(h.pipe(burst(SPIKE, 200)).detections()).as("learning").isEmpty();
        }
    }

    @Test
    void shouldNotAddCountsAcrossAWindowBoundary() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 1));
            assertThat(h.pipe(burst(SPIKE.minusSeconds(30), 15)).pipe(burst(SPIKE, 15)).detections()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheSameFiringsForShuffledInputWithinTheGrace() {
        List<CloudTrailEvent> events = new ArrayList<>(steady(T0, SPIKE, 3));
        events.addAll(burst(SPIKE, 70));
        events.addAll(steady(SPIKE.plus(W), SPIKE.plus(W.multipliedBy(3)), 5));
        // Shuffle within blocks of 10 minutes of event time: less than the 15-minute grace.
        List<CloudTrailEvent> shuffled = new ArrayList<>();
        Random r = new Random(3);
        List<CloudTrailEvent> block = new ArrayList<>();
        Instant blockEnd = T0.plus(Duration.ofMinutes(10));
        for (CloudTrailEvent e : Harness.sorted(events)) {
            if (!e.eventTime().isBefore(blockEnd)) {
                Collections.shuffle(block, r);
                shuffled.addAll(block);
                block.clear();
                blockEnd = blockEnd.plus(Duration.ofMinutes(10));
            }
            block.add(e);
        }
        Collections.shuffle(block, r);
        shuffled.addAll(block);
        assertThat(Harness.identities(config(), shuffled)).isEqualTo(Harness.identities(config(), Harness.sorted(events)))
                .hasSize(4);
    }

    @Test
    void shouldCountADuplicateDeliveryOnce() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 3));
            List<CloudTrailEvent> thirty = burst(SPIKE, 30);
            assertThat(h.pipe(thirty).pipe(thirty).detections()).isEmpty();
        }
    }

    @Test
    void shouldCountCallsAServiceMakesForThePrincipalOnTheKeyOnly() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 3));
            for (int i = 0; i < 31; i++) {
                h.pipe(decrypt().at(SPIKE.plusSeconds(i)).invokedBy("secretsmanager.amazonaws.com"));
            }
            assertThat(h.detections()).extracting(d -> d.attributes().get("scope")).containsExactly("key");
        }
    }

    @Test
    void shouldNotCountFailedDecrypts() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 3));
            for (int i = 0; i < 40; i++) {
                h.pipe(decrypt().at(SPIKE.plusSeconds(i)).error("AccessDeniedException", "no"));
            }
            assertThat(h.detections()).isEmpty();
        }
    }

    /** {@code n} decrypts spread evenly over the 5-minute window starting at {@code start}. */
    private static List<CloudTrailEvent> within(Instant start, int n) {
        List<CloudTrailEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(decrypt().at(start.plusMillis(W.toMillis() * i / n)).build());
        }
        return out;
    }

    @Test
    void shouldNotCountCallsAnAwsServiceMakesOnThePrincipalsBehalfTowardItsSpike() {
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, SPIKE, 3));
            List<CloudTrailEvent> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                batch.add(decrypt().invokedBy("s3.amazonaws.com").at(SPIKE.plusSeconds(5L * i)).build());
            }
            List<Detection> out = h.pipe(batch).detections();
            assertThat(out).as("the key's load is real, the principal did not do it")
                    .extracting(d -> d.attributes().get("scope")).containsExactly("key");
        }
    }

    @Test
    void shouldLetTheBaselineFollowASmoothDoublingAndStayBelowTheFactor() {
        Instant rampStart = SPIKE;
        Instant rampEnd = rampStart.plus(Duration.ofHours(1));
        Instant plateauEnd = rampEnd.plus(Duration.ofMinutes(90));
        try (Harness h = new Harness(config())) {
            h.pipe(steady(T0, rampStart, 10));
            // 10 → 20 calls per window, one step of less than a call per window: a deploy doubling traffic
            int windows = (int) (Duration.between(rampStart, rampEnd).toMillis() / W.toMillis());
            for (int i = 0; i < windows; i++) {
                h.pipe(within(rampStart.plus(W.multipliedBy(i)), 10 + (10 * (i + 1)) / windows));
            }
            h.pipe(steady(rampEnd, plateauEnd, 20));
            assertThat(h.detections()).as("a smooth 2x ramp never comes near factor 10").isEmpty();
            // the baseline is now the doubled rate: 150 calls (15x the old rate, 7.5x the new) stay quiet
            assertThat(h.pipe(within(plateauEnd, 150)).detections()).isEmpty();
            List<Detection> out = h.pipe(within(plateauEnd.plus(W), 210)).detections();
            assertThat(out).isNotEmpty().allSatisfy(d -> assertThat(d.attributes()).containsEntry("baseline", "20"));
        }
    }
}
