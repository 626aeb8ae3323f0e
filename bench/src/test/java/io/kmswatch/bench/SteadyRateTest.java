package io.kmswatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SteadyRateTest {
    private static final long MS = 1_000_000L;

    @Test
    void timesFromTheSkippedShareToTheEnd() {
        // a slow start (100 items in the first second), then 1,000 items per second
        SteadyRate r = new SteadyRate(1_000, 0.1);
        assertThat(r.observe(0, 0)).isFalse();
        assertThat(r.observe(1, 10 * MS)).isFalse();
        assertThat(r.observe(100, 1_000 * MS)).isFalse();
        assertThat(r.observe(550, 1_450 * MS)).isFalse();
        assertThat(r.observe(1_000, 1_900 * MS)).isTrue();

        assertThat(r.perSecond()).isCloseTo(1_000.0, within(1e-6));
        assertThat(r.untimedSeconds()).isCloseTo(0.99, within(1e-9));
    }

    @Test
    void countsWhatWasDoneWhenTheThresholdWasSeen() {
        // polled coarsely: the first observation past the threshold already has 300 items done
        SteadyRate r = new SteadyRate(1_000, 0.1);
        r.observe(300, 2_000 * MS);
        r.observe(1_000, 2_700 * MS);
        assertThat(r.perSecond()).isCloseTo(1_000.0, within(1e-6));
    }

    @Test
    void anExplicitEndMovesTheEnd() {
        SteadyRate r = new SteadyRate(200, 0.5);
        r.observe(100, 0);
        r.observe(200, 50 * MS);
        r.end(100 * MS); // the flush after the last send
        assertThat(r.perSecond()).isCloseTo(1_000.0, within(1e-6));
    }

    @Test
    void aDrainSeenOnlyWhenCompleteIsTimedFromItsFirstItem() {
        SteadyRate r = new SteadyRate(100, 0.1);
        r.observe(5, 0);
        r.observe(100, 100 * MS);
        // the threshold (10) and the end were seen together: time from the first item
        assertThat(r.perSecond()).isCloseTo(1_000.0, within(1e-6));
    }

    @Test
    void refusesWhatItCannotTime() {
        SteadyRate r = new SteadyRate(100);
        r.observe(50, 0);
        assertThatThrownBy(r::perSecond).isInstanceOf(IllegalStateException.class).hasMessageContaining("not reached");
        assertThatThrownBy(() -> r.end(5)).isInstanceOf(IllegalStateException.class);

        SteadyRate instant = new SteadyRate(100);
        instant.observe(100, 7);
        assertThatThrownBy(instant::perSecond).isInstanceOf(IllegalStateException.class).hasMessageContaining("too short");

        assertThatThrownBy(() -> new SteadyRate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SteadyRate(10, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
