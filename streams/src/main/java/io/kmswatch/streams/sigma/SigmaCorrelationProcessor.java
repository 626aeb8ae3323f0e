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
 * Runs the correlation windows of one partition of correlation groups: hits and ticks advance the time up to which
 * the engine releases what the grace made final (a hit is late only against the newest hit, not a tick), and
 * alerting firings become Detections. All window state is in the changelogged store.
 */
final class SigmaCorrelationProcessor implements Processor<String, CorrelationEngine.Hit, String, Detection> {
    private final CorrelationEngine engine;
    private final StreamsMetrics metrics;
    private ProcessorContext<String, Detection> context;
    private CorrelationStore store;
    private long newestHit = Long.MIN_VALUE;
    private long tickTime = Long.MIN_VALUE;
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
        // Lateness is judged by the newest hit this task has seen, never by a tick: ticks come from every input
        // partition, and one partition's tick may run ahead of another partition's hits still on their way through
        // the repartition (SettleTicks has the same reason). Ticks and hits both release what is final.
        List<CorrelationEngine.Firing> firings;
        if (record.value() == null) {
            tickTime = Math.max(tickTime, record.timestamp());
            firings = engine.advance(Math.max(newestHit, tickTime), store);
        } else {
            newestHit = Math.max(newestHit, record.timestamp());
            firings = new java.util.ArrayList<>(engine.accept(record.value(), newestHit, store));
            firings.addAll(engine.advance(Math.max(newestHit, tickTime), store));
        }
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
