package io.kmswatch.streams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HotValuesTest {

    @Test
    void shouldDropTheLeastRecentlyUsedBeyondCapacity() {
        HotValues<String, Integer> hot = new HotValues<>(2);
        hot.put("a", 1);
        hot.put("b", 2);
        assertThat(hot.get("a")).isEqualTo(1); // a is now the most recently used

        hot.put("c", 3);

        assertThat(hot.get("b")).isNull();
        assertThat(hot.get("a")).isEqualTo(1);
        assertThat(hot.get("c")).isEqualTo(3);
        assertThat(hot.size()).isEqualTo(2);
    }

    @Test
    void shouldForgetAnEntryPutAsNullAndEverythingOnClear() {
        HotValues<String, Integer> hot = new HotValues<>(10);
        hot.put("a", 1);
        hot.put("b", 2);

        hot.put("a", null);
        assertThat(hot.get("a")).isNull();
        assertThat(hot.size()).isEqualTo(1);

        hot.clear();
        assertThat(hot.get("b")).isNull();
        assertThat(hot.size()).isZero();
    }

    @Test
    void shouldRefuseANonPositiveCapacity() {
        assertThatThrownBy(() -> new HotValues<String, Integer>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
