package io.kmswatch.ingest.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIdWindowTest {
    @Test
    void shouldForgetIdsOlderThanTheOverlap() {
        EventIdWindow w = new EventIdWindow(100, Map.of("old", 1000L, "new", 2000L));
        w.prune(1500);
        assertThat(w.contains("old")).isFalse();
        assertThat(w.contains("new")).isTrue();
    }

    @Test
    void shouldKeepTheNewestIdsWhenOverCapacity() {
        EventIdWindow w = new EventIdWindow(100, null);
        for (int i = 0; i < 1000; i++) {
            w.add("id-" + i, i);
            assertThat(w.size()).isLessThanOrEqualTo(200);
        }
        w.prune(0);
        assertThat(w.size()).isEqualTo(100);
        assertThat(w.contains("id-999")).isTrue();
        assertThat(w.contains("id-900")).isTrue();
        assertThat(w.contains("id-899")).isFalse();
    }

    @Test
    void shouldStayBoundedWhenManyIdsShareOneSecond() {
        EventIdWindow w = new EventIdWindow(100, null);
        for (int i = 0; i < 500; i++) {
            w.add("same-" + i, 42);
        }
        w.prune(0);
        assertThat(w.size()).isEqualTo(100);
    }
}
