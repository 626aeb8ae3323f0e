package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SinkCircuitTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void shouldBeClosedUntilOpened() {
        SinkCircuit c = new SinkCircuit(INTERVAL);

        assertThat(c.isOpen()).isFalse();
        assertThat(c.lastError()).isNull();
        assertThat(c.openedAt()).isNull();
        assertThatThrownBy(() -> c.probe(T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.close(T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNotProbeUntilOneIntervalAfterOpeningThenAtMostOncePerInterval() {
        SinkCircuit c = new SinkCircuit(INTERVAL);
        c.open(T0, "pager: HTTP 503 service unavailable");

        assertThat(c.isOpen()).isTrue();
        assertThat(c.openedAt()).isEqualTo(T0);
        assertThat(c.probe(T0)).isFalse();
        assertThat(c.probe(T0.plusSeconds(29))).isFalse();
        assertThat(c.probe(T0.plusSeconds(30))).isTrue();
        assertThat(c.probe(T0.plusSeconds(30))).isFalse();
        assertThat(c.probe(T0.plusSeconds(59))).isFalse();
        assertThat(c.probe(T0.plusSeconds(75))).isTrue();
        assertThat(c.probe(T0.plusSeconds(104))).isFalse();
        assertThat(c.probe(T0.plusSeconds(105))).isTrue();
    }

    @Test
    void shouldKeepTheErrorOfTheLastFailedProbeAndCountDeadLetters() {
        SinkCircuit c = new SinkCircuit(INTERVAL);
        c.open(T0, "pager: ConnectException connection refused or host unreachable");
        c.deadLettered();
        c.deadLettered();
        c.probeFailed("pager: HTTP 503 service unavailable");
        c.deadLettered();

        assertThat(c.isOpen()).isTrue();
        assertThat(c.lastError()).isEqualTo("pager: HTTP 503 service unavailable");
        assertThat(c.deadLetteredWhileOpen()).isEqualTo(3);
    }

    @Test
    void shouldCloseWithHowLongItWasOpenAndStartAfreshWhenOpenedAgain() {
        SinkCircuit c = new SinkCircuit(INTERVAL);
        c.open(T0, "pager: no answer within PT10S");
        c.deadLettered();

        assertThat(c.close(T0.plusSeconds(95))).isEqualTo(Duration.ofSeconds(95));
        assertThat(c.isOpen()).isFalse();
        assertThat(c.lastError()).isNull();

        c.open(T0.plusSeconds(200), "pager: HTTP 502");
        assertThat(c.deadLetteredWhileOpen()).isZero();
        assertThat(c.probe(T0.plusSeconds(229))).isFalse();
        assertThat(c.probe(T0.plusSeconds(230))).isTrue();
    }

    @Property(tries = 500)
    void shouldGrantAProbeToTheFirstAlertDueAndNoneSoonerThanTheInterval(
            @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 20_000) Long> gapsMs) {
        Duration interval = Duration.ofSeconds(3);
        SinkCircuit c = new SinkCircuit(interval);
        c.open(T0, "sink: HTTP 503");
        Instant now = T0;
        Instant due = T0.plus(interval);
        List<Instant> probes = new ArrayList<>();
        for (long gap : gapsMs) {
            now = now.plusMillis(gap);
            boolean probe = c.probe(now);
            // An alert gets the probe exactly when one is due, so a sink that is back is found by
            // the first alert one interval after the last probe.
            assertThat(probe).isEqualTo(!now.isBefore(due));
            if (probe) {
                probes.add(now);
                due = now.plus(interval);
            }
        }
        for (int i = 1; i < probes.size(); i++) {
            assertThat(Duration.between(probes.get(i - 1), probes.get(i))).isGreaterThanOrEqualTo(interval);
        }
    }
}
