package io.kmswatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
    @Test
    void shouldRegisterEveryMeterWithDescriptionAndSourceTag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics("files");
        m.recordRejected("not_json");
        m.bindTo(registry);
        m.recordRejected("empty_input");
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
            assertThat(meter.getId().getName()).startsWith("kmswatch.ingest.");
            assertThat(meter.getId().getDescription()).isNotBlank();
            assertThat(meter.getId().getTag("source")).isEqualTo("files");
        });
        assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).distinct())
                .contains("kmswatch.ingest.records.in", "kmswatch.ingest.records.produced",
                        "kmswatch.ingest.records.rejected", "kmswatch.ingest.records.skipped",
                        "kmswatch.ingest.lag.seconds", "kmswatch.ingest.checkpoint.age.seconds",
                        "kmswatch.ingest.lookup.calls", "kmswatch.ingest.lookup.throttles",
                        "kmswatch.ingest.files.done", "kmswatch.ingest.records.future");
        assertThat(registry.get("kmswatch.ingest.records.rejected").tag("reason", "empty_input").functionCounter()
                .count()).isEqualTo(1.0);
    }

    @Test
    void shouldBoundRejectionReasonsAndCountTheRestAsOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics("s3");
        m.bindTo(registry);
        for (int i = 0; i < IngestMetrics.MAX_REASONS + 10; i++) {
            m.recordRejected("reason_" + i);
        }
        assertThat(registry.find("kmswatch.ingest.records.rejected").functionCounters())
                .hasSize(IngestMetrics.MAX_REASONS + 1);
        assertThat(m.rejectedByReason()).containsEntry("other", 10L);
        assertThat(m.rejected()).isEqualTo(IngestMetrics.MAX_REASONS + 10L);
    }

    @Test
    void shouldRegisterRejectedAtZeroForTheSourceWhenBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics("emulator");
        m.bindTo(registry);
        assertThat(registry.find("kmswatch.ingest.records.rejected").functionCounters()).singleElement()
                .satisfies(c -> {
                    assertThat(c.getId().getTag("source")).isEqualTo("emulator");
                    assertThat(c.getId().getTag("reason")).isEqualTo("other");
                    assertThat(c.count()).isZero();
                });
        assertThat(m.rejected()).isZero();
        assertThat(m.rejectedByReason()).isEmpty();
    }

    @Test
    void shouldReportLagFromNewestEventTime() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics("lookup");
        m.bindTo(registry);
        assertThat(registry.get("kmswatch.ingest.lag.seconds").gauge().value()).isNaN();
        m.recordProduced(Instant.now().minusSeconds(3600));
        m.recordProduced(Instant.now().minusSeconds(7200));
        assertThat(registry.get("kmswatch.ingest.lag.seconds").gauge().value()).isBetween(3590.0, 3700.0);
    }

    @Test
    void shouldNotLetARecordFromTheFutureHideTheLag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics("files");
        m.bindTo(registry);
        m.recordProduced(Instant.now().minusSeconds(7200));
        m.recordProduced(Instant.parse("2999-01-01T00:00:00Z"));
        // the future record counts as now: lag 0, not minus 975 years (which would silence the lag alert)
        assertThat(registry.get("kmswatch.ingest.lag.seconds").gauge().value()).isBetween(0.0, 60.0);
        m.recordFuture();
        assertThat(registry.get("kmswatch.ingest.records.future").functionCounter().count()).isEqualTo(1.0);
        assertThat(m.future()).isEqualTo(1);
    }
}
