package io.kmswatch.streams.sigma;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.JsonSerde;
import io.kmswatch.sigma.CorrelationEngine;
import io.kmswatch.sigma.GroupState;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.sigma.SigmaRule;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.state.WriteBehindStores;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' Sigma rules as part of the detect topology, beside the built-in detections:
 *
 * <pre>
 * deduplicated kms-events (key: key ARN)
 *   → sigma-match: the rule index picks candidate rules; a match of a standalone rule → Detection (the first
 *                  of a rule by a caller on a key per fold period; the rest fold into a roll-up, store sigma-folds)
 *                  a match of a rule a correlation references → a hit keyed by its correlation group
 *                  (+ a time tick to every partition every {@value SigmaMatchProcessor#TICK_MS} ms of event time,
 *                  and for every settle tick)
 *   → repartition sigma-correlations (hits by group; ticks to every partition)
 *   → sigma-correlate: windows in the changelogged store sigma-correlation-windows → Detection
 * </pre>
 *
 * Under exactly_once_v2 the windows, the input offsets and the detections commit together, so a crash or a
 * rebalance neither loses a window nor fires twice.
 */
public final class SigmaDetections {
    /** Matches folded into an alert per rule, caller and key ({@code detections.sigma.fold}; changelogged). */
    public static final String FOLD_STORE = "sigma-folds";
    /** The correlation window store (in memory, changelogged). */
    public static final String STORE = "sigma-correlation-windows";
    /** The repartition of correlation hits (internal topic {@code <application.id>-sigma-correlations-repartition}). */
    public static final String BY_GROUP = "sigma-correlations";
    static final String TICK_KEY = "\u0000kmswatch-sigma-tick";
    private static final Logger LOG = LoggerFactory.getLogger(SigmaDetections.class);

    private SigmaDetections() {
    }

    /** A match's output before the split: a detection, a hit, or (both null) a time tick. */
    record Out(Detection detection, CorrelationEngine.Hit hit) {
    }

    /** Ticks (null values) to every partition, hits by their group key. */
    static final StreamPartitioner<String, CorrelationEngine.Hit> PARTITIONER = new StreamPartitioner<>() {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, CorrelationEngine.Hit value, int n) {
            if (value != null) {
                return Optional.empty();
            }
            return Optional.of(IntStream.range(0, n).boxed().collect(Collectors.toUnmodifiableSet()));
        }
    };

    /**
     * Adds the Sigma rules of {@code config.sigma()} to the topology; null when there are none.
     *
     * @param events deduplicated events keyed by key ARN
     * @param ticks  settle ticks (null values)
     * @throws io.kmswatch.streams.DetectionException when a rule cannot run (and the settings are not lenient)
     */
    public static KStream<String, Detection> build(StreamsBuilder builder, KStream<String, CloudTrailEvent> events,
                                                   KStream<String, CloudTrailEvent> ticks, DetectionsConfig config,
                                                   StreamsMetrics metrics) {
        RuleSet rules = config.sigma().load();
        rules.warnings().forEach(w -> LOG.warn("Sigma rules: {}", w));
        if (rules.isEmpty()) {
            return null;
        }
        long correlated = rules.correlations().size();
        LOG.info("Sigma: {} detection rules ({} alerting on their own), {} correlations, {} filters",
                rules.rules().size(), rules.rules().stream().filter(SigmaRule::standalone).count(), correlated,
                rules.filters().size());
        Duration fold = config.sigma().fold();
        KStream<String, Out> matched;
        if (fold.isZero()) {
            matched = events.process(() -> new SigmaMatchProcessor(rules, config.grace(), fold, metrics),
                    Named.as("sigma-match"));
        } else {
            // a folded match updates its group's state object; the changelog gets it once per commit
            builder.addStateStore(WriteBehindStores.keyValue(Stores.inMemoryKeyValueStore(FOLD_STORE),
                    new JsonSerde<>(FoldState.class), WriteBehindStores.DEFAULT_CAPACITY));
            matched = events.process(() -> new SigmaMatchProcessor(rules, config.grace(), fold, metrics),
                    Named.as("sigma-match"), FOLD_STORE);
        }
        KStream<String, Detection> detections = matched.filter((k, o) -> o.detection() != null,
                Named.as("sigma-rule-detections")).mapValues(Out::detection, Named.as("sigma-rule-detection"));
        if (correlated == 0) {
            return detections;
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(GroupState.class)).withCachingDisabled());
        KStream<String, CorrelationEngine.Hit> hits = matched
                .filter((k, o) -> o.detection() == null, Named.as("sigma-hits-and-ticks"))
                .mapValues(Out::hit, Named.as("sigma-hit"))
                .merge(ticks.mapValues(t -> (CorrelationEngine.Hit) null, Named.as("sigma-settle-ticks"))
                        .selectKey((k, v) -> TICK_KEY, Named.as("sigma-settle-tick-key")), Named.as("sigma-with-settle"));
        KStream<String, Detection> fired = hits
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(CorrelationEngine.Hit.class))
                        .withName(BY_GROUP).withStreamPartitioner(PARTITIONER))
                .process(() -> new SigmaCorrelationProcessor(rules, config.grace(), metrics), Named.as("sigma-correlate"),
                        STORE);
        return detections.merge(fired, Named.as("sigma-merge"));
    }
}
