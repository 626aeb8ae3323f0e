package io.kmswatch.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Source checkpoints kept in a compacted Kafka topic, keyed by checkpoint key (a source id plus, for
 * file sources, a directory or prefix), so the ingest process keeps no local state and can move
 * between machines. {@link #load} reads the whole topic once at start (compaction keeps it small);
 * afterwards the store is updated in memory as sources save through their {@link EventPublisher}.
 * Thread-safe.
 */
public final class CheckpointStore {
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    private CheckpointStore(String topic) {
        this.topic = topic;
    }

    /** An empty store, for tests and for sources without checkpoints. */
    public static CheckpointStore empty(String topic) {
        return new CheckpointStore(topic);
    }

    /**
     * Reads every checkpoint in the topic (latest value per key).
     *
     * @param kafka consumer settings (bootstrap servers, security…)
     * @throws IngestException when the topic cannot be read in time
     */
    public static CheckpointStore load(Map<String, ?> kafka, String topic) {
        CheckpointStore store = new CheckpointStore(topic);
        Map<String, Object> c = new LinkedHashMap<>();
        kafka.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                c.put(k, v);
            }
        });
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "kmswatch-ingest-checkpoints");
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, LOAD_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IngestException("checkpoint topic " + topic + " does not exist; create it (compacted)"
                        + " or enable createTopics");
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, LOAD_TIMEOUT));
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), LOAD_TIMEOUT) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IngestException("checkpoint topic " + topic + " could not be read within " + LOAD_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        store.values.remove(r.key());
                    } else {
                        store.values.put(r.key(), r.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IngestException("cannot read checkpoint topic " + topic + ": " + e, e);
        }
        return store;
    }

    public String topic() {
        return topic;
    }

    /** The latest checkpoint of a key. */
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Every checkpoint whose key starts with {@code prefix}, sorted by key. */
    public Map<String, byte[]> withPrefix(String prefix) {
        Map<String, byte[]> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Records a checkpoint in memory and sends it through the source's publisher.
     *
     * @throws IngestException when the publisher has failed
     */
    public void save(EventPublisher publisher, String key, byte[] value) {
        publisher.saveCheckpoint(key, value);
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }
}
