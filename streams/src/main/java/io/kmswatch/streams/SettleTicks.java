package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Settle ticks: a {@code kms-events} record with no value (in practice the one {@code kmswatch replay} writes
 * to every partition after a finite input, header {@code kmswatch-control: settle}, timestamp = last event
 * time + horizon). A tick is not an event: it only advances stream time, so windows close and stream-time
 * punctuators (key-deletion-pending, the novelty decisions) fire as they would have in a live pipeline.
 *
 * <p>Stream time is per task. In the per-key sub-topology the tick's own partition task sees it. The
 * per-principal sub-topology reads the repartition topic, whose tasks see only what is written to them, so
 * {@link #PARTITIONER} copies every tick to every partition of the repartition (new-source-ip decides its
 * candidates by a stream-time punctuator and needs it); events keep the default partitioning by key.
 */
final class SettleTicks {
    /** The key a tick carries through the repartition (repartitioned records need a key; no principal has it). */
    static final String KEY = "\u0000kmswatch-settle";

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

    static boolean isTick(Object value) {
        return value == null;
    }
}
