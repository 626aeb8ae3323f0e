package io.kmswatch.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {

    @Test
    void shouldRunTheMinimumRoundsAndStopOnceTheTimeIsUpEvenIfTheCompilerIsBusy() {
        AtomicInteger rounds = new AtomicInteger();

        Duration took = WarmUp.untilJitQuiet(rounds::incrementAndGet, 3, Duration.ZERO);

        assertThat(rounds).hasValue(3);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldStopOnAQuietRoundWellBeforeTheBound() {
        AtomicInteger rounds = new AtomicInteger();

        // a round that sleeps compiles nothing itself; whatever the JIT does meanwhile for the test runner
        // settles long before the bound
        Duration took = WarmUp.untilJitQuiet(() -> {
            rounds.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 2, Duration.ofSeconds(60));

        assertThat(rounds.get()).isGreaterThanOrEqualTo(2);
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }
}
