package io.kmswatch.ingest.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuotaLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A clock that only moves when the limiter sleeps, or when a caller spends time between calls. */
    private static final class FakeTime {
        long now = 1_000_000_000L;
    }

    @ParameterizedTest(name = "share {0}")
    @ValueSource(doubles = {0.1, 0.5, 0.9, 0.99})
    void shouldNeverSendMoreThanTheQuotaOfAnOperationWithinAnySecond(double share) throws Exception {
        FakeTime t = new FakeTime();
        QuotaLimiter limiter = new QuotaLimiter(share, () -> t.now, nanos -> t.now += nanos);
        Random random = new Random(7);
        Map<String, ArrayDeque<Long>> window = new HashMap<>();
        Map<String, Integer> peak = new HashMap<>();
        List<String> ops = List.copyOf(KmsRequestQuotas.DEFAULTS.keySet());
        // The inventory's mix for 10,000 keys: every operation, interleaved, with bursts (no time between calls)
        // and pauses (time passing while a caller waits for an answer) drawn at random.
        for (int i = 0; i < 60_000; i++) {
            String op = ops.get(random.nextInt(ops.size()));
            limiter.acquire(op);
            ArrayDeque<Long> q = window.computeIfAbsent(op, o -> new ArrayDeque<>());
            q.addLast(t.now);
            while (q.peekFirst() <= t.now - SECOND) {
                q.removeFirst();
            }
            peak.merge(op, q.size(), Math::max);
            if (random.nextInt(10) == 0) {
                t.now += random.nextInt(5_000_000);
            }
        }
        for (String op : ops) {
            double quota = KmsRequestQuotas.of(op);
            assertThat((double) peak.get(op)).as(op).isLessThanOrEqualTo(Math.floor(quota * share) + 1)
                    .isLessThan(quota);
        }
    }

    @Test
    void shouldReachTheShareOfTheQuotaWhenCallersKeepUp() throws Exception {
        FakeTime t = new FakeTime();
        QuotaLimiter limiter = new QuotaLimiter(0.5, () -> t.now, nanos -> t.now += nanos);
        long start = t.now;
        for (int i = 0; i < 500; i++) {
            limiter.acquire("ListGrants");
        }
        // 500 ListGrants at 50/s (half of 100/s): the 500th goes out 499 intervals after the first.
        assertThat(t.now - start).isEqualTo(499 * limiter.intervalNanos("ListGrants"));
        assertThat(limiter.intervalNanos("ListGrants")).isEqualTo(SECOND / 50);
    }

    @Test
    void shouldRefuseSharesThatReachTheQuotaAndUnknownOperations() {
        assertThatThrownBy(() -> new QuotaLimiter(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> new QuotaLimiter(0.5).acquire("Decrypt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Decrypt");
    }
}
