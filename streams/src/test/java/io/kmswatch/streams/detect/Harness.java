package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailEventSerde;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Topics;
import io.kmswatch.streams.DetectionTopology;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RejectingDeserializationHandler;
import io.kmswatch.streams.StreamsMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Runs the production topology ({@link DetectionTopology#build}) in a TopologyTestDriver: events are
 * piped with their eventTime as timestamp and keyed as ingest keys them (key ARN).
 */
final class Harness implements AutoCloseable {
    final StreamsMetrics metrics = new StreamsMetrics();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, CloudTrailEvent> input;
    private final TestInputTopic<String, byte[]> rawInput;
    private final TestOutputTopic<String, Detection> output;
    private final TestOutputTopic<String, byte[]> rejected;
    private final Path stateDir;

    Harness(DetectionsConfig config) {
        try {
            stateDir = Files.createTempDirectory("kmswatch-streams-test");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Topics topics = Topics.DEFAULT;
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingDeserializationHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.kmsEventsRejected().name());
        p.put(RejectingDeserializationHandler.METRICS_CONFIG, metrics);
        p.put(RejectingDeserializationHandler.REJECTED_TOPIC_CONFIG, topics.kmsEventsRejected().name());
        driver = new TopologyTestDriver(DetectionTopology.build(config, topics, metrics), p);
        input = driver.createInputTopic(topics.kmsEvents().name(), new StringSerializer(),
                new CloudTrailEventSerde().serializer());
        rawInput = driver.createInputTopic(topics.kmsEvents().name(), new StringSerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic(topics.kmsDetections().name(), new StringDeserializer(),
                topics.kmsDetections().valueSerde().deserializer());
        rejected = driver.createOutputTopic(topics.kmsEventsRejected().name(), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    /** Only the given detections enabled, everything else at its default. */
    static Harness only(String... ids) {
        return new Harness(DetectionsConfig.defaultConfig().onlyEnabled(ids));
    }

    Harness pipe(CloudTrailEvent... events) {
        for (CloudTrailEvent e : events) {
            input.pipeInput(e.partitionKey(), e, e.eventTime());
        }
        return this;
    }

    Harness pipe(CloudTrailFixtures.Builder... builders) {
        for (CloudTrailFixtures.Builder b : builders) {
            pipe(b.build());
        }
        return this;
    }

    Harness pipe(List<CloudTrailEvent> events) {
        events.forEach(e -> pipe(e));
        return this;
    }

    Harness pipeRaw(String key, byte[] value, Instant at) {
        rawInput.pipeInput(key, value, at);
        return this;
    }

    /** A settle tick as {@code kmswatch replay} writes it: no key, no value, a control header, timestamp {@code at}. */
    Harness tick(Instant at) {
        var tick = io.kmswatch.events.ControlRecords.settleTick("kms-events", 0, at);
        rawInput.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, (byte[]) null, tick.headers(), at));
        return this;
    }

    /** A state store of the topology, as processors see it (for tests of what state lives how long). */
    <V> org.apache.kafka.streams.state.KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** Every detection written so far (and consumed from the output). */
    List<Detection> detections() {
        return output.readValuesToList();
    }

    List<byte[]> rejectedValues() {
        return rejected.readValuesToList();
    }

    TestOutputTopic<String, byte[]> rejectedTopic() {
        return rejected;
    }

    /** Runs the events through a fresh topology and returns what identifies each firing: fingerprint, tier, resolves. */
    static Set<String> identities(DetectionsConfig config, List<CloudTrailEvent> events) {
        return identities(config, events, null);
    }

    /**
     * As {@link #identities(DetectionsConfig, List)}, then a settle tick at {@code settleAt} (null: none), as a
     * replay ends: stream-time punctuators run once more at that stream time, whatever the input's order.
     */
    static Set<String> identities(DetectionsConfig config, List<CloudTrailEvent> events, Instant settleAt) {
        try (Harness h = new Harness(config)) {
            h.pipe(events);
            if (settleAt != null) {
                h.tick(settleAt);
            }
            Set<String> ids = new TreeSet<>();
            for (Detection d : h.detections()) {
                ids.add(d.fingerprint() + "#" + d.tier() + (d.resolves() ? "#resolved" : ""));
            }
            return ids;
        }
    }

    static List<CloudTrailEvent> sorted(List<CloudTrailEvent> events) {
        List<CloudTrailEvent> s = new ArrayList<>(events);
        s.sort(Comparator.comparing(CloudTrailEvent::eventTime));
        return s;
    }

    static List<CloudTrailEvent> build(List<CloudTrailFixtures.Builder> builders) {
        return builders.stream().map(CloudTrailFixtures.Builder::build).toList();
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temp dir; best effort
        }
    }
}
