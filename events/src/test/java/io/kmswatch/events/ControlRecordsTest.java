package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ControlRecordsTest {
    private static final Instant AT = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    void shouldMakeASettleTickWithNoKeyNoValueTheControlHeaderAndTheTimestamp() {
        ProducerRecord<byte[], byte[]> tick = ControlRecords.settleTick("kms-events", 3, AT);
        assertThat(tick.topic()).isEqualTo("kms-events");
        assertThat(tick.partition()).isEqualTo(3);
        assertThat(tick.timestamp()).isEqualTo(AT.toEpochMilli());
        assertThat(tick.key()).isNull();
        assertThat(tick.value()).isNull();
        assertThat(new String(tick.headers().lastHeader("kmswatch-control").value(), StandardCharsets.UTF_8))
                .isEqualTo("settle");
        assertThat(ControlRecords.isSettleTick(tick.headers())).isTrue();
        assertThat(ControlRecords.isControl(tick.headers())).isTrue();
    }

    @Test
    void shouldRecogniseATickByItsHeaderOnly() {
        assertThat(ControlRecords.isSettleTick(new RecordHeaders())).isFalse();
        assertThat(ControlRecords.isSettleTick(null)).isFalse();
        assertThat(ControlRecords.isControl(new RecordHeaders())).isFalse();
        RecordHeaders other = new RecordHeaders();
        other.add(ControlRecords.HEADER, "pause".getBytes(StandardCharsets.UTF_8));
        assertThat(ControlRecords.isControl(other)).isTrue();
        assertThat(ControlRecords.isSettleTick(other)).isFalse();
    }
}
