package io.kmswatch.emulator.traffic;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The flat shape holds the rate in calls, whatever each unit of work makes and whatever the scenarios add, on a
 * simulated clock: the generator's loop (wait until the next arrival, run the unit) with a unit making one to three
 * calls and now and then a scenario step making a burst of its own.
 */
class BackgroundTest {
    static final Instant MONDAY_NIGHT = Instant.parse("2026-03-02T00:00:00Z");
    static final double CLOCK_SPEED = 60;
    static final double CALLS_PER_REAL_SECOND = 2000;
    /** The most calls one step makes in {@link #run}: a unit's three plus a scenario burst of 40. */
    static final long MAX_STEP = 43;

    @Test
    void shouldHoldTheRateInCallsPerIntervalWhenFlat() {
        long[] calls = {17}; // the calls setup made before the plan starts are not counted
        Background flat = Background.flat(TrafficProfile.defaults(), 3, CALLS_PER_REAL_SECOND / CLOCK_SPEED,
                MONDAY_NIGHT, MONDAY_NIGHT.plus(Duration.ofHours(24)), () -> calls[0]);

        TreeMap<Long, Long> perRealSecond = run(flat, calls);

        // a day of emulator time (at x60: 24 real minutes), from the night through the afternoon peak
        assertThat(perRealSecond).hasSize(24 * 60);
        // calls made by the end of each real second: the rate times the time so far, within one step's calls
        // (a scenario burst is made at once, and the background waits for it)
        long total = 0;
        int exact = 0;
        for (var e : perRealSecond.entrySet()) {
            total += e.getValue();
            assertThat(total).isCloseTo((long) ((e.getKey() + 1) * CALLS_PER_REAL_SECOND), within(MAX_STEP));
            if (Math.abs(e.getValue() - CALLS_PER_REAL_SECOND) <= 3) {
                exact++;
            }
        }
        // and but for the seconds with a burst, each second has the rate within a unit's calls
        assertThat(exact).isGreaterThan(perRealSecond.size() * 95 / 100);
    }

    @Test
    void shouldFollowTheTimeOfDayWhenDaily() {
        long[] calls = {0};
        Background daily = new Background(TrafficProfile.defaults(), 3, CALLS_PER_REAL_SECOND / CLOCK_SPEED,
                MONDAY_NIGHT, MONDAY_NIGHT.plus(Duration.ofHours(24)));

        TreeMap<Long, Long> perRealSecond = run(daily, calls);

        // what the soak had before the flat shape: far below the rate at night, above it at the afternoon peak
        // (a unit makes about two calls)
        long night = perRealSecond.get(3L * 60);
        long afternoon = perRealSecond.get(14L * 60);
        assertThat(night).isLessThan(1500);
        assertThat(afternoon).isGreaterThan(2500);
    }

    @Test
    void shouldCountAUnitThatMadeNoCallAsOne() {
        long[] calls = {0};
        Background flat = Background.flat(TrafficProfile.defaults(), 3, 1, MONDAY_NIGHT, MONDAY_NIGHT.plusSeconds(10),
                () -> calls[0]);
        int units = 0;
        while (flat.peek() != null) {
            assertThat(flat.peek()).isEqualTo(MONDAY_NIGHT.plusSeconds(units));
            flat.take(); // a unit whose calls all failed before reaching the emulator
            units++;
        }
        assertThat(units).isEqualTo(10);
    }

    /** The generator's loop on a simulated clock; calls made per real second of the run. */
    private static TreeMap<Long, Long> run(Background background, long[] calls) {
        Random random = new Random(5);
        TreeMap<Long, Long> perRealSecond = new TreeMap<>();
        Instant at;
        while ((at = background.peek()) != null) {
            long realSecond = (long) (Duration.between(MONDAY_NIGHT, at).toNanos() / 1e9 / CLOCK_SPEED);
            background.take();
            int made = 1 + random.nextInt(3);
            if (random.nextInt(50_000) == 0) {
                made += 40; // about once a real minute, a scenario step's burst, counted like the rest
            }
            calls[0] += made;
            perRealSecond.merge(realSecond, (long) made, Long::sum);
        }
        return perRealSecond;
    }
}
