package io.kmswatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuTimeTest {

    @Test
    void theFloorIsTheCoresOverTheCostsAdded() {
        // the figures: codec 2.5 µs, produce 2.35 µs per record, two cores
        assertThat(CpuTime.floorRecordsPerSec(2, 2_500, 2_350)).isCloseTo(2e9 / 4_850, within(1e-6));
        assertThat(CpuTime.floorRecordsPerSec(1, 1_000)).isCloseTo(1e6, within(1e-6));
        assertThatThrownBy(() -> CpuTime.floorRecordsPerSec(2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuTime.floorRecordsPerSec(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProcessClockAdvancesWithWork() {
        long before = CpuTime.processNanos();
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) {
            x += Long.rotateLeft(x ^ i, 7);
        }
        long after = CpuTime.processNanos();
        assertThat(x).isNotEqualTo(42); // keeps the loop
        assertThat(after).isGreaterThan(before);
    }
}
