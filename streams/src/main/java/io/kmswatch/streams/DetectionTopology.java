package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailEventSerde;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Topics;
import io.kmswatch.streams.detect.DetectionRule;
import io.kmswatch.streams.detect.Detections;
import io.kmswatch.streams.detect.KeyEvent;
import io.kmswatch.streams.detect.KeyFacts;
import io.kmswatch.events.JsonSerde;
import io.kmswatch.streams.detect.RuleContext;
import io.kmswatch.streams.inventory.PostureProcessor;
import io.kmswatch.streams.inventory.PostureState;
import io.kmswatch.streams.inventory.SnapshotTimestamp;
import io.kmswatch.streams.sigma.SigmaDetections;
import io.kmswatch.streams.state.WriteBehindStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The detect stage as one Kafka Streams topology, shared by production ({@link DetectApp}) and tests
 * (TopologyTestDriver):
 *
 * <pre>
 * kms-events (key: key ARN; timestamp: eventTime)
 *   → settle ticks (control header kmswatch-control: settle) split off: they advance stream time only; through the repartition
 *     they reach every partition, where the per-principal rules settle once all have arrived ({@link SettleTicks})
 *   → dedup by eventID → key inventory (facts before each event)
 *       → per-key detections (no repartition: the input is keyed by key ARN)
 *       → re-key by principal → one repartition topic → per-principal detections
 *       → users' Sigma rules and correlations ({@link SigmaDetections})
 *   → merge → kms-detections (key: fingerprint)
 * kms-key-inventory (key: key ARN; only with seedFromInventory)
 *   → merged with the deduplicated events → key inventory (seeded) and posture detections → kms-detections
 * </pre>
 */
public final class DetectionTopology {
    /** Name of the one repartition (internal topic {@code <application.id>-by-principal-repartition}). */
    public static final String BY_PRINCIPAL = "by-principal";

    private DetectionTopology() {
    }

    /**
     * Builds the topology with its own metrics (for tests that do not look at them).
     *
     * @throws DetectionException when the config cannot be honoured (e.g. dedup retention shorter than a window)
     */
    public static Topology build(DetectionsConfig config, Topics topics) {
        return build(config, topics, new StreamsMetrics());
    }

    /**
     * Builds the topology; processors record into {@code metrics}.
     *
     * @throws DetectionException when the config cannot be honoured (e.g. dedup retention shorter than a window)
     */
    public static Topology build(DetectionsConfig config, Topics topics, StreamsMetrics metrics) {
        return build(config, topics, metrics, 1);
    }

    /**
     * Builds the topology for a {@code kms-events} topic of {@code inputPartitions} partitions (the per-principal
     * rules settle once a settle tick arrived from each of them).
     *
     * @throws DetectionException when the config cannot be honoured (e.g. dedup retention shorter than a window)
     */
    public static Topology build(DetectionsConfig config, Topics topics, StreamsMetrics metrics, int inputPartitions) {
        return build(config, topics, metrics, inputPartitions, false);
    }

    /**
     * Builds the topology; with {@code seedFromInventory} it also reads {@code kms-key-inventory} (which must
     * have as many partitions as {@code kms-events}): the snapshots seed the key inventory and feed the
     * posture detections ({@link PostureProcessor}).
     *
     * @throws DetectionException when the config cannot be honoured (e.g. dedup retention shorter than a window)
     */
    public static Topology build(DetectionsConfig config, Topics topics, StreamsMetrics metrics, int inputPartitions,
                                 boolean seedFromInventory) {
        if (inputPartitions < 1) {
            throw new DetectionException("inputPartitions must be at least 1, got " + inputPartitions);
        }
        List<DetectionRule> rules = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (DetectionRule rule : Detections.all()) {
            var settings = config.settings(rule.id(), rule.defaults());
            if (settings.isEnabled()) {
                rules.add(rule);
                Duration back = rule.lookBack(settings);
                longest = back.compareTo(longest) > 0 ? back : longest;
            }
        }
        if (config.dedupRetention().compareTo(config.grace().plus(longest)) < 0) {
            throw new DetectionException("detections.dedupRetention (" + config.dedupRetention()
                    + ") must be at least grace + the longest detection window (" + config.grace().plus(longest)
                    + "), or late duplicates could be counted twice");
        }

        StreamsBuilder builder = new StreamsBuilder();
        // Every eventID is looked up once and written once: a cache in front of the store would only add a map
        // insert and an eviction per event, so dedup reads and writes RocksDB (and its changelog) directly.
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(DedupProcessor.STORE,
                config.dedupRetention(), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()).withCachingDisabled());
        // eventIDs grow with traffic, the inventory with keys: both on disk (RocksDB), like the detections' state.
        builder.addStateStore(WriteBehindStores.keyValue(Stores.persistentKeyValueStore(InventoryProcessor.STORE),
                new JsonSerde<>(KeyFacts.class), InventoryProcessor.HOT_KEYS));

        KStream<String, CloudTrailEvent> input = builder.stream(topics.kmsEvents().name(),
                Consumed.with(Serdes.String(), new CloudTrailEventSerde())
                        .withTimestampExtractor(new EventTimeExtractor()).withName("kms-events"));
        // A settle tick (ControlRecords: known by its control header, not by its missing value) is not an
        // event: reading it already advanced this task's stream time (and fired its stream-time punctuators);
        // it must reach no dedup, inventory, detection or metric. The per-principal side settles separately,
        // once every input partition's tick came through the repartition (SettleTicks).
        KStream<String, CloudTrailEvent> ticks = input.processValues(
                () -> new SettleTicks.Split(SettleTicks.Side.TICKS, metrics), Named.as("settle-ticks"));
        KStream<String, CloudTrailEvent> events = input.processValues(
                        () -> new SettleTicks.Split(SettleTicks.Side.EVENTS, metrics), Named.as("events"))
                .process(() -> new TimedForward<String, CloudTrailEvent>(metrics), Named.as("time-by-key"));
        // with users' Sigma rules every service's records pass dedup (the rules may be about any of them); the
        // built-in detections still read only KMS and S3 records
        boolean allEvents = !config.sigma().paths().isEmpty();
        KStream<String, CloudTrailEvent> deduplicated = events.process(
                () -> new DedupProcessor(config.dedupRetention(), metrics, allEvents), Named.as("dedup"),
                DedupProcessor.STORE);
        KStream<String, CloudTrailEvent> unique = allEvents
                ? deduplicated.filter((k, e) -> DedupProcessor.isKmsOrS3(e), Named.as("kms-and-s3")) : deduplicated;
        ProcessorSupplier<String, Object, String, KeyEvent> inventory = () -> new InventoryProcessor(metrics, config.deletedKeyRetention());
        KStream<String, KeyEvent> byKey;
        KStream<String, Detection> posture = null;
        if (seedFromInventory) {
            // Snapshots and events meet on the same key ARN partition: the inventory and posture stores see both.
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PostureProcessor.STORE),
                    Serdes.String(), new JsonSerde<>(PostureState.class)));
            var inventoryTopic = topics.kmsKeyInventory();
            KStream<String, Object> snapshots = builder.stream(inventoryTopic.name(),
                            Consumed.with(Serdes.String(), inventoryTopic.valueSerde())
                                    .withTimestampExtractor(new SnapshotTimestamp()).withName("kms-key-inventory"))
                    .filter((k, s) -> s != null, Named.as("snapshots"))
                    .mapValues(s -> (Object) s, Named.as("snapshots-as-input"));
            KStream<String, Object> keyed = unique.mapValues(e -> (Object) e, Named.as("events-as-input"))
                    .merge(snapshots, Named.as("events-and-snapshots"));
            byKey = keyed.process(inventory, Named.as("key-inventory"), InventoryProcessor.STORE);
            posture = keyed.process(() -> new PostureProcessor(config::isTrustedAccount), Named.as("key-posture"),
                    PostureProcessor.STORE);
        } else {
            byKey = unique.process(inventory, Named.as("key-inventory"), InventoryProcessor.STORE);
        }

        List<DetectionRule> perPrincipal = rules.stream().filter(r -> r.scope() == DetectionRule.Scope.PRINCIPAL).toList();
        KStream<String, KeyEvent> byPrincipal = null;
        if (!perPrincipal.isEmpty()) {
            byPrincipal = unique
                    .process(() -> new PrincipalRouting(perPrincipal), Named.as("principal-rules-want"))
                    .selectKey((k, e) -> e.principal(), Named.as("key-by-principal"))
                    .merge(ticks.process(SettleTicks.Announce::new, Named.as("announce-settle-ticks")),
                            Named.as("with-settle-ticks"))
                    .repartition(Repartitioned.with(Serdes.String(), new CloudTrailEventSerde()).withName(BY_PRINCIPAL)
                            .withStreamPartitioner(SettleTicks.PARTITIONER))
                    .process(() -> new SettleTicks.Gate(inputPartitions), Named.as("settle-gate"))
                    .process(() -> new TimedForward<String, CloudTrailEvent>(metrics), Named.as("time-by-principal"))
                    // a null value past the gate is the settle: rules settle to its timestamp
                    .mapValues(e -> e == null ? null : new KeyEvent(e, null), Named.as("principal-events"));
        }

        KStream<String, Detection> all = null;
        for (DetectionRule rule : rules) {
            RuleContext ctx = new RuleContext(config, config.settings(rule.id(), rule.defaults()), builder, metrics);
            KStream<String, KeyEvent> in = rule.scope() == DetectionRule.Scope.PRINCIPAL ? byPrincipal : byKey;
            KStream<String, Detection> out = rule.detect(in, ctx);
            all = all == null ? out : all.merge(out, Named.as("merge-" + rule.id()));
        }
        if (posture != null) {
            all = all == null ? posture : all.merge(posture, Named.as("merge-posture"));
        }
        // users' Sigma rules (io.kmswatch.streams.sigma): beside the built-in detections, into the same sink
        KStream<String, Detection> sigma = SigmaDetections.build(builder, deduplicated, ticks, config, metrics);
        if (sigma != null) {
            all = all == null ? sigma : all.merge(sigma, Named.as("merge-sigma"));
        }
        if (all != null) {
            all.peek((k, d) -> metrics.detection(d.detection(), d.severity()), Named.as("count-detections"))
                    .to(topics.kmsDetections().name(), Produced.with(Serdes.String(), topics.kmsDetections().valueSerde())
                            .withName("kms-detections"));
        }
        return builder.build();
    }
}
