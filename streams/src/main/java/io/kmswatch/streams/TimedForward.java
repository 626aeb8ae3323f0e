package io.kmswatch.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Passes records on unchanged and records how long each took downstream
 * ({@code kmswatch.streams.process.duration}). Streams forwards depth-first and synchronously, so the
 * time around {@code forward} at the head of a sub-topology is the time the record spent in every
 * processor of it (dedup, inventory, detections, the sinks' hand-off to the producer).
 */
final class TimedForward<K, V> implements Processor<K, V, K, V> {
    private final StreamsMetrics metrics;
    private ProcessorContext<K, V> context;

    TimedForward(StreamsMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<K, V> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(Record<K, V> record) {
        long start = System.nanoTime();
        context.forward(record);
        if (record.value() != null) { // a settle is not a record processed
            metrics.processed(System.nanoTime() - start);
        }
    }
}
