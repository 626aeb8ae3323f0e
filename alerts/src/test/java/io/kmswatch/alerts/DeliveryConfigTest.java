package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The retry arithmetic: backoff, jitter, Retry-After, and the giveUpAfter deadline. */
class DeliveryConfigTest {
    private static final DeliveryConfig DEFAULTS = DeliveryConfig.defaultConfig();
    /** 100 ms doubling to 1 s, half jitter, 10 s to give up; 4 s for sink "slow". */
    private static final DeliveryConfig SMALL = new DeliveryConfig(Duration.ofSeconds(10),
            Map.of("slow", Duration.ofSeconds(4)), Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5, null,
            Duration.ofSeconds(3), null, null);

    @Test
    void shouldDefaultToTenMinutesThirtySecondBackoffAndAThousandQueued() {
        assertThat(DEFAULTS.giveUpAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(DEFAULTS.giveUpAfterFor("any")).isEqualTo(Duration.ofMinutes(10));
        assertThat(DEFAULTS.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(DEFAULTS.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.maxQueued()).isEqualTo(1000);
        assertThat(DEFAULTS.giveUpAfterBySink()).isEmpty();
    }

    @Test
    void shouldComputeBackoffWithCapAndJitter() {
        assertThat(SMALL.backoff(1, 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(SMALL.backoff(3, 0)).isEqualTo(Duration.ofMillis(400));
        assertThat(SMALL.backoff(10, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SMALL.backoff(3, 0.999)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(SMALL.backoff(60, 0.5)).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void shouldWaitTheBackoffWhileTheDeadlineIsFarAndCutTheLastWaitToIt() {
        assertThat(SMALL.nextWait("pager", 1, Duration.ZERO, null, 0)).contains(Duration.ofMillis(100));
        assertThat(SMALL.nextWait("pager", 20, Duration.ofSeconds(5), null, 0)).contains(Duration.ofSeconds(1));
        assertThat(SMALL.nextWait("pager", 20, Duration.ofMillis(9_700), null, 0)).contains(Duration.ofMillis(300));
    }

    @Test
    void shouldGiveUpOnceTheAlertHasFailedForGiveUpAfter() {
        assertThat(SMALL.nextWait("pager", 20, Duration.ofMillis(9_999), null, 0)).contains(Duration.ofMillis(1));
        assertThat(SMALL.nextWait("pager", 20, Duration.ofSeconds(10), null, 0)).isEmpty();
        assertThat(SMALL.nextWait("pager", 1, Duration.ofSeconds(11), null, 0)).isEmpty();
    }

    @Test
    void shouldUseTheSinksOwnGiveUpAfter() {
        assertThat(SMALL.giveUpAfterFor("slow")).isEqualTo(Duration.ofSeconds(4));
        assertThat(SMALL.nextWait("slow", 20, Duration.ofMillis(3_500), null, 0)).contains(Duration.ofMillis(500));
        assertThat(SMALL.nextWait("slow", 20, Duration.ofSeconds(4), null, 0)).isEmpty();
        assertThat(SMALL.nextWait("pager", 20, Duration.ofSeconds(4), null, 0)).contains(Duration.ofSeconds(1));
    }

    @Test
    void shouldHonourRetryAfterExactlyUpToMaxRetryAfterAndTheDeadline() {
        assertThat(SMALL.nextWait("pager", 1, Duration.ZERO, Duration.ofMillis(2_500), 0.9))
                .contains(Duration.ofMillis(2_500));
        assertThat(SMALL.nextWait("pager", 1, Duration.ZERO, Duration.ofMinutes(1), 0))
                .contains(Duration.ofSeconds(3));
        assertThat(SMALL.nextWait("pager", 1, Duration.ofSeconds(8), Duration.ofSeconds(3), 0))
                .contains(Duration.ofSeconds(2));
        assertThat(SMALL.nextWait("pager", 1, Duration.ofSeconds(10), Duration.ofSeconds(1), 0)).isEmpty();
    }

    @Test
    void shouldTryTwentySixTimesOverTenMinutesWithTheDefaultsAndNoJitter() {
        List<Duration> attempts = schedule(DEFAULTS, "pager", Duration.ZERO, 0);

        // 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, then every 30 s to 571.5 s, and a last one at 600 s.
        assertThat(attempts).hasSize(26);
        assertThat(attempts.subList(0, 7)).containsExactly(Duration.ZERO, Duration.ofMillis(500),
                Duration.ofMillis(1_500), Duration.ofMillis(3_500), Duration.ofMillis(7_500),
                Duration.ofMillis(15_500), Duration.ofMillis(31_500));
        assertThat(attempts.get(24)).isEqualTo(Duration.ofMillis(571_500));
        assertThat(attempts.get(25)).isEqualTo(Duration.ofMinutes(10));
    }

    @Property(tries = 2000)
    void shouldNeverWaitPastTheDeadlineNorLongerThanMaxBackoff(@ForAll @IntRange(min = 1, max = 80) int failed,
                                                               @ForAll @LongRange(min = 0, max = 25_000) long failingMs,
                                                               @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false)
                                                               double random) {
        Duration failingFor = Duration.ofMillis(failingMs);
        Optional<Duration> wait = SMALL.nextWait("pager", failed, failingFor, null, random);

        if (failingFor.compareTo(SMALL.giveUpAfter()) >= 0) {
            assertThat(wait).isEmpty();
            return;
        }
        assertThat(wait).isPresent();
        Duration w = wait.get();
        Duration backoff = SMALL.backoff(failed, 0);
        assertThat(w).isPositive().isLessThanOrEqualTo(SMALL.maxBackoff());
        assertThat(failingFor.plus(w)).isLessThanOrEqualTo(SMALL.giveUpAfter());
        // Jitter takes off at most half, and only the deadline cuts deeper.
        Duration jitterFloor = Duration.ofMillis(Math.round(backoff.toMillis() * (1 - SMALL.jitter())));
        assertThat(w).satisfiesAnyOf(x -> assertThat(x).isBetween(jitterFloor, backoff),
                x -> assertThat(failingFor.plus(x)).isEqualTo(SMALL.giveUpAfter()));
    }

    @Property(tries = 300)
    void shouldGiveUpWithinOneAttemptOfTheDeadlineWhateverTheJitterAndAttemptTime(
            @ForAll @LongRange(min = 0, max = 3_000) long attemptMs,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        Duration attempt = Duration.ofMillis(attemptMs);
        List<Duration> starts = schedule(SMALL, "pager", attempt, random);
        Duration last = starts.get(starts.size() - 1);

        // Retried until the deadline (the last try starts no earlier than one attempt before it,
        // and the alert is given up only after it), never past it.
        assertThat(last).isLessThanOrEqualTo(SMALL.giveUpAfter());
        assertThat(last.plus(attempt)).isGreaterThanOrEqualTo(SMALL.giveUpAfter());
        assertThat(starts).isSorted().doesNotHaveDuplicates();
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i).minus(starts.get(i - 1)).minus(attempt)).isLessThanOrEqualTo(SMALL.maxBackoff());
        }
    }

    @Test
    void shouldRejectNonPositiveGiveUpAfterAndEmptyQueue() {
        assertThatThrownBy(() -> new DeliveryConfig(Duration.ZERO, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("delivery.giveUpAfter must be a positive duration");
        assertThatThrownBy(() -> new DeliveryConfig(null, Map.of("pager", Duration.ofSeconds(-1)), null, null, null,
                null, null, null, null, null))
                .hasMessageContaining("delivery.giveUpAfterBySink.pager must be a positive duration");
        assertThatThrownBy(() -> new DeliveryConfig(null, null, null, null, null, null, null, null, 0, null))
                .hasMessageContaining("delivery.maxQueued must be ≥ 1");
    }

    /**
     * The start of every attempt of an alert that never gets through, relative to the first: each
     * attempt takes {@code attempt}, then the loop waits what {@link DeliveryConfig#nextWait} says.
     */
    private static List<Duration> schedule(DeliveryConfig d, String sink, Duration attempt, double random) {
        List<Duration> starts = new ArrayList<>();
        Duration now = Duration.ZERO;
        for (int n = 1; n < 10_000; n++) {
            starts.add(now);
            now = now.plus(attempt);
            Optional<Duration> wait = d.nextWait(sink, n, now, null, random);
            if (wait.isEmpty()) {
                return starts;
            }
            now = now.plus(wait.get());
        }
        throw new AssertionError("never gave up");
    }
}
