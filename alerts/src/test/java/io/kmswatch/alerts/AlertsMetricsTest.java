package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Severity;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AlertsMetricsTest {
    @Test
    void shouldRegisterDescribedMetersUnderKmswatchInEveryBoundRegistry() {
        AlertsMetrics m = new AlertsMetrics();
        SimpleMeterRegistry early = new SimpleMeterRegistry();
        m.bindTo(early);
        m.sent("slack", Duration.ofMillis(5));
        m.failed("slack", Duration.ofMillis(5));
        m.retried("slack");
        m.undeliverable("slack");
        m.silenced("key-disabled");
        m.suppressed("key-disabled");
        m.emitted(Detections.fire().alert("a", List.of()));
        m.skipped("bad-alert");
        m.sinkUp("slack", false);
        SimpleMeterRegistry late = new SimpleMeterRegistry();
        m.bindTo(late);
        m.retried("slack");

        assertThat(early.get("kmswatch.alerts.sent").tag("sink", "slack").tag("outcome", "success").counter().count())
                .isEqualTo(1.0);
        assertThat(early.get("kmswatch.alerts.sent").tag("outcome", "failure").counter().count()).isEqualTo(1.0);
        assertThat(early.get("kmswatch.alerts.retried").counter().count()).isEqualTo(2.0);
        assertThat(late.get("kmswatch.alerts.retried").counter().count()).isEqualTo(1.0);
        assertThat(early.get("kmswatch.alerts.delivery.latency").tag("sink", "slack").timer().count()).isEqualTo(2);
        assertThat(early.getMeters()).extracting(meter -> meter.getId().getName())
                .contains("kmswatch.alerts.undeliverable", "kmswatch.alerts.silenced", "kmswatch.alerts.suppressed",
                        "kmswatch.alerts.emitted", "kmswatch.alerts.skipped", "kmswatch.alerts.open")
                .allMatch(n -> n.startsWith("kmswatch.alerts."));
        for (Meter meter : early.getMeters()) {
            assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
        }
    }

    @Test
    void shouldExposePerSinkSeriesAtZeroBeforeTheFirstAlert() {
        AlertsMetrics m = new AlertsMetrics();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        m.bindTo(r);
        m.registerSinks(List.of("slack", "am"));

        assertThat(r.get(AlertsMetrics.SENT).tag("sink", "am").tag("outcome", "failure").counter().count()).isZero();
        assertThat(r.get(AlertsMetrics.UNDELIVERABLE).tag("sink", "slack").counter().count()).isZero();
        assertThat(r.get(AlertsMetrics.DELIVERY_LATENCY).tag("sink", "am").timer().count()).isZero();
        assertThat(r.get(AlertsMetrics.SINK_UP).tag("sink", "am").gauge().value()).isEqualTo(1.0);
        assertThat(r.getMeters()).extracting(meter -> meter.getId().getName()).isSubsetOf(AlertsMetrics.NAMES);
    }

    @Test
    void shouldFlipTheSinkGaugeDownAndUpInRegistriesBoundBeforeAndAfter() {
        AlertsMetrics m = new AlertsMetrics();
        SimpleMeterRegistry early = new SimpleMeterRegistry();
        m.bindTo(early);
        m.registerSinks(List.of("pager", "slack"));
        m.sinkUp("pager", false);
        SimpleMeterRegistry late = new SimpleMeterRegistry();
        m.bindTo(late);

        for (SimpleMeterRegistry r : List.of(early, late)) {
            assertThat(r.get(AlertsMetrics.SINK_UP).tag("sink", "pager").gauge().value()).isZero();
            assertThat(r.get(AlertsMetrics.SINK_UP).tag("sink", "slack").gauge().value()).isEqualTo(1.0);
        }
        m.sinkUp("pager", true);
        m.sinkUp("slack", false);
        for (SimpleMeterRegistry r : List.of(early, late)) {
            assertThat(r.get(AlertsMetrics.SINK_UP).tag("sink", "pager").gauge().value()).isEqualTo(1.0);
            assertThat(r.get(AlertsMetrics.SINK_UP).tag("sink", "slack").gauge().value()).isZero();
            assertThat(r.find(AlertsMetrics.SINK_UP).gauges()).hasSize(2);
        }
    }

    @Test
    void shouldCountOpenAlertsBySeverityUntilResolvedOrPastWindow() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T06:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        AlertsMetrics m = new AlertsMetrics(clock);
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        m.bindTo(r);
        m.track(Detections.alert("a", AlertStatus.FIRING, List.of("x")), Duration.ofHours(1));
        m.track(Detections.alert("b", AlertStatus.FIRING, List.of("x")), Duration.ofMinutes(5));
        Alert c = Detections.fire().severity(Severity.LOW).alert("c", List.of("x"));
        m.track(c, Duration.ofHours(1));

        assertThat(r.get("kmswatch.alerts.open").tag("severity", "high").gauge().value()).isEqualTo(2.0);
        assertThat(r.get("kmswatch.alerts.open").tag("severity", "low").gauge().value()).isEqualTo(1.0);
        m.track(Detections.alert("a", AlertStatus.RESOLVED, List.of("x")), Duration.ofHours(1));
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertThat(r.get("kmswatch.alerts.open").tag("severity", "high").gauge().value()).isEqualTo(0.0);
        assertThat(r.get("kmswatch.alerts.open").tag("severity", "low").gauge().value()).isEqualTo(1.0);
    }
}
