package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.ControlRecords;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Settle ticks: the control records of {@code kms-events} whose contract {@link ControlRecords} states
 * (header {@code kmswatch-control: settle}, no value, timestamp = last event time + horizon, one per
 * partition, written by {@code kmswatch replay} and {@code evaluate} after a finite input). A tick is
 * recognised by that header only ({@link Split}); a record without it is never a tick. A tick is not an
 * event: it only advances stream time, so windows close and stream-time punctuators (key-deletion-pending,
 * the novelty decisions) fire as they would have in a live pipeline.
 *
 * <p>For the per-key processors reading the tick is enough: it advances the task's stream time after
 * every event of its partition. The per-principal processors get their events through the repartition
 * topic, fed by every per-key task: events from another input partition can arrive after this partition's
 * tick already pushed stream time a month ahead (the tasks read {@code kms-events} and the repartition side
 * by side, since the detections merge into one sink). So those processors judge lateness by the newest
 * event they have seen themselves, not by the task's stream time, and settle on a signal of their own:
 * each per-key task sends its tick to every repartition partition ({@link #PARTITIONER}) with timestamp 0
 * (it moves no stream time) and the horizon and its own partition in headers; {@link Gate} waits until the
 * ticks of all input partitions have arrived — everything before them has then arrived too, as each
 * upstream task writes in order — and forwards one null-value record stamped with the horizon to the
 * per-principal rules, which settle to it (new-source-ip decides its candidates by the horizon).
 */
final class SettleTicks {
    /** The key a tick carries through the repartition (repartitioned records need a key; no principal has it). */
    static final String KEY = "\u0000kmswatch-settle";
    static final String HORIZON_HEADER = "kmswatch-settle-horizon";
    static final String FROM_HEADER = "kmswatch-settle-partition";

    /** Ticks to every partition, events by their key (default partitioner). */
    static final StreamPartitioner<String, CloudTrailEvent> PARTITIONER = new StreamPartitioner<>() {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, CloudTrailEvent value, int numPartitions) {
            if (value != null) {
                return Optional.empty();
            }
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
        }
    };

    private SettleTicks() {
    }

    /** Which of the input's two streams {@link Split} feeds. */
    enum Side {
        /** Settle ticks, recognised by their control header, passed on without a value. */
        TICKS,
        /**
         * Events: records without a control header and with a value. A control record of another kind is
         * neither; a record with neither a control header nor a value is counted as skipped ({@code no_value}).
         */
        EVENTS
    }

    /** Input side: passes on the records of one {@link Side} of {@code kms-events}. */
    static final class Split implements FixedKeyProcessor<String, CloudTrailEvent, CloudTrailEvent> {
        private final Side side;
        private final StreamsMetrics metrics;
        private FixedKeyProcessorContext<String, CloudTrailEvent> context;

        Split(Side side, StreamsMetrics metrics) {
            this.side = side;
            this.metrics = metrics;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, CloudTrailEvent> ctx) {
            this.context = ctx;
        }

        @Override
        public void process(FixedKeyRecord<String, CloudTrailEvent> record) {
            if (side == Side.TICKS) {
                if (ControlRecords.isSettleTick(record.headers())) {
                    context.forward(record.withValue(null));
                }
            } else if (!ControlRecords.isControl(record.headers())) {
                if (record.value() != null) {
                    context.forward(record);
                } else {
                    metrics.skipped(StreamsMetrics.NO_VALUE);
                }
            }
        }
    }

    /** Whether a record inside the topology (past {@link Split}) is a tick: ticks alone travel without a value. */
    private static boolean isTick(CloudTrailEvent value) {
        return value == null;
    }

    /** Per-key side: turns a tick into the repartition's form (timestamp 0; horizon and source partition in headers). */
    static final class Announce implements Processor<String, CloudTrailEvent, String, CloudTrailEvent> {
        private ProcessorContext<String, CloudTrailEvent> context;

        @Override
        public void init(ProcessorContext<String, CloudTrailEvent> ctx) {
            this.context = ctx;
        }

        @Override
        public void process(Record<String, CloudTrailEvent> record) {
            int from = context.recordMetadata().map(m -> m.partition()).orElse(context.taskId().partition());
            Record<String, CloudTrailEvent> tick = new Record<>(KEY, null, 0L);
            tick.headers().add(HORIZON_HEADER, ByteBuffer.allocate(8).putLong(record.timestamp()).array());
            tick.headers().add(FROM_HEADER, ByteBuffer.allocate(4).putInt(from).array());
            context.forward(tick);
        }
    }

    /**
     * Per-principal side: passes events on; collects ticks and, once every one of {@code inputPartitions}
     * upstream partitions sent its tick for a horizon, forwards one null-value record stamped with it. The
     * ticks seen are kept in memory: a task restarted in the middle of a settle does not settle (the next
     * event or settle does). What it keeps is bounded: a completed horizon drops every earlier one still
     * incomplete (each upstream task writes its ticks in order, so their missing ticks can no longer come),
     * and at most {@value #MAX_PENDING} incomplete horizons are kept, the oldest dropped first.
     */
    static final class Gate implements Processor<String, CloudTrailEvent, String, CloudTrailEvent> {
        static final int MAX_PENDING = 64;
        private final int inputPartitions;
        private final TreeMap<Long, Set<Integer>> seen = new TreeMap<>();
        private ProcessorContext<String, CloudTrailEvent> context;

        Gate(int inputPartitions) {
            this.inputPartitions = inputPartitions;
        }

        @Override
        public void init(ProcessorContext<String, CloudTrailEvent> ctx) {
            this.context = ctx;
        }

        @Override
        public void process(Record<String, CloudTrailEvent> record) {
            if (!isTick(record.value())) {
                context.forward(record);
                return;
            }
            Long horizon = longHeader(record.headers(), HORIZON_HEADER);
            Integer from = intHeader(record.headers(), FROM_HEADER);
            if (horizon == null || from == null) {
                return; // not one of ours
            }
            Set<Integer> got = seen.computeIfAbsent(horizon, h -> new HashSet<>());
            got.add(from);
            if (got.size() >= inputPartitions) {
                seen.headMap(horizon, true).clear();
                context.forward(new Record<String, CloudTrailEvent>(KEY, null, horizon));
            }
            while (seen.size() > MAX_PENDING) {
                seen.pollFirstEntry();
            }
        }

        /** Horizons with some but not all ticks in (for tests). */
        int pending() {
            return seen.size();
        }

        private static Long longHeader(Headers headers, String name) {
            Header h = headers.lastHeader(name);
            return h == null || h.value() == null || h.value().length != 8 ? null : ByteBuffer.wrap(h.value()).getLong();
        }

        private static Integer intHeader(Headers headers, String name) {
            Header h = headers.lastHeader(name);
            return h == null || h.value() == null || h.value().length != 4 ? null : ByteBuffer.wrap(h.value()).getInt();
        }
    }
}
