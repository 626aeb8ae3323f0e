package io.kmswatch.streams;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class SettleTicksTest {
    private static final long HORIZON = T0.plusSeconds(31L * 86400).toEpochMilli();

    private static Record<String, CloudTrailEvent> tickFrom(int partition) {
        return tickFrom(partition, HORIZON);
    }

    private static Record<String, CloudTrailEvent> tickFrom(int partition, long horizon) {
        Record<String, CloudTrailEvent> r = new Record<>(SettleTicks.KEY, null, 0L);
        r.headers().add(SettleTicks.HORIZON_HEADER, ByteBuffer.allocate(8).putLong(horizon).array());
        r.headers().add(SettleTicks.FROM_HEADER, ByteBuffer.allocate(4).putInt(partition).array());
        return r;
    }

    @Test
    void shouldSettleThePrincipalSideOnlyOnceEveryInputPartitionSentItsTick() {
        SettleTicks.Gate gate = new SettleTicks.Gate(3);
        MockProcessorContext<String, CloudTrailEvent> ctx = new MockProcessorContext<>();
        gate.init(ctx);
        CloudTrailEvent e = decrypt().at(T0).build();
        gate.process(tickFrom(0));
        gate.process(tickFrom(0));
        gate.process(new Record<>("arn:aws:iam::111122223333:role/app", e, T0.toEpochMilli()));
        gate.process(tickFrom(2));
        assertThat(ctx.forwarded()).as("events pass, ticks wait for all partitions").singleElement()
                .satisfies(f -> assertThat(f.record().value()).isSameAs(e));
        gate.process(tickFrom(1));
        List<MockProcessorContext.CapturedForward<? extends String, ? extends CloudTrailEvent>> out = ctx.forwarded();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).record().value()).isNull();
        assertThat(out.get(1).record().timestamp()).isEqualTo(HORIZON);
    }

    @Test
    void shouldKeepABoundedNumberOfIncompleteSettles() {
        SettleTicks.Gate gate = new SettleTicks.Gate(2);
        MockProcessorContext<String, CloudTrailEvent> ctx = new MockProcessorContext<>();
        gate.init(ctx);
        // partition 1's ticks never come: each horizon stays incomplete
        for (int i = 0; i < 1_000; i++) {
            gate.process(tickFrom(0, HORIZON + i));
        }
        assertThat(gate.pending()).isEqualTo(SettleTicks.Gate.MAX_PENDING);
        assertThat(ctx.forwarded()).isEmpty();
        // a later horizon that completes drops every earlier incomplete one
        gate.process(tickFrom(0, HORIZON + 5_000));
        gate.process(tickFrom(1, HORIZON + 5_000));
        assertThat(ctx.forwarded()).singleElement()
                .satisfies(f -> assertThat(f.record().timestamp()).isEqualTo(HORIZON + 5_000));
        assertThat(gate.pending()).isZero();
    }

    @Test
    void shouldAnnounceATickWithoutMovingStreamTime() {
        SettleTicks.Announce announce = new SettleTicks.Announce();
        MockProcessorContext<String, CloudTrailEvent> ctx = new MockProcessorContext<>();
        ctx.setRecordMetadata("kms-events", 2, 7L);
        announce.init(ctx);
        announce.process(new Record<>(null, null, HORIZON));
        assertThat(ctx.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.record().timestamp()).isZero();
            assertThat(f.record().key()).isEqualTo(SettleTicks.KEY);
            assertThat(ByteBuffer.wrap(f.record().headers().lastHeader(SettleTicks.HORIZON_HEADER).value()).getLong())
                    .isEqualTo(HORIZON);
            assertThat(ByteBuffer.wrap(f.record().headers().lastHeader(SettleTicks.FROM_HEADER).value()).getInt())
                    .isEqualTo(2);
        });
    }
}
