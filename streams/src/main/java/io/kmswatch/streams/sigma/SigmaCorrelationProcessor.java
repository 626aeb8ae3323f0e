package io.kmswatch.streams.sigma;

import io.kmswatch.events.Detection;
import io.kmswatch.sigma.CorrelationEngine;
import io.kmswatch.sigma.CorrelationStore;
import io.kmswatch.sigma.GroupState;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.streams.StreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the correlation windows of one partition of correlation groups: hits and ticks advance stream time (the
 * newest record timestamp this task has seen, or Streams' own if newer), the engine releases what the grace
 * made final, and alerting firings become Detections. All window state is in the changelogged store.
 */
final class SigmaCorrelationProcessor implements Processor<String, CorrelationEngine.Hit, String, Detection> {
    private final CorrelationEngine engine;
    private final StreamsMetrics metrics;
    private ProcessorContext<String, Detection> context;
    private CorrelationStore store;
    private long streamTime = Long.MIN_VALUE;
    private long lateSeen;

    SigmaCorrelationProcessor(RuleSet rules, Duration grace, StreamsMetrics metrics) {
        this.engine = new CorrelationEngine(rules, grace);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Detection> context) {
        this.context = context;
        KeyValueStore<String, GroupState> kv = context.getStateStore(SigmaDetections.STORE);
        this.store = new CorrelationStore() {
            @Override
            public GroupState get(String key) {
                return kv.get(key);
            }

            @Override
            public void put(String key, GroupState state) {
                if (state == null) {
                    kv.delete(key);
                } else {
                    kv.put(key, state);
                }
            }

            @Override
            public void forEach(BiConsumer<String, GroupState> action) {
                try (KeyValueIterator<String, GroupState> it = kv.all()) {
                    while (it.hasNext()) {
                        KeyValue<String, GroupState> kvp = it.next();
                        action.accept(kvp.key, kvp.value);
                    }
                }
            }
        };
    }

    @Override
    public void process(Record<String, CorrelationEngine.Hit> record) {
        streamTime = Math.max(Math.max(streamTime, record.timestamp()), context.currentStreamTimeMs());
        List<CorrelationEngine.Firing> firings = record.value() == null ? engine.advance(streamTime, store)
                : engine.accept(record.value(), streamTime, store);
        if (engine.lateHits() > lateSeen) {
            metrics.lateDropped("sigma-correlations");
            lateSeen = engine.lateHits();
        }
        for (CorrelationEngine.Firing f : firings) {
            if (f.alerting()) {
                Detection d = SigmaFindings.correlation(f);
                context.forward(new Record<>(d.fingerprint(), d, f.lastTime()));
            }
        }
    }
}
