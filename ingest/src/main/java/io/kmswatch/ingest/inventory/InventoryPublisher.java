package io.kmswatch.ingest.inventory;

import io.kmswatch.events.Topic;
import io.kmswatch.events.TopicSetup;
import io.kmswatch.events.Topics;
import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.ingest.IngestException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes snapshots to {@code kms-key-inventory} (key: key ARN; record timestamp: snapshot time),
 * creating it when missing: compacted (the newest snapshot of each key is what counts), with as many
 * partitions as {@code kms-events} so that a key's snapshot and its events land on the same partition
 * number and reach the same detection task.
 */
public final class InventoryPublisher {
    private InventoryPublisher() {
    }

    /**
     * Creates the topic when missing and writes every snapshot, waiting for each acknowledgement.
     *
     * @param kafka      Kafka client settings (bootstrap servers, security)
     * @param partitions partitions of {@code kms-events} and {@code kms-key-inventory} when they must be created
     * @throws IngestException when the topic cannot be created or a write fails
     */
    public static int publish(List<KeySnapshot> keys, Topics topics, Map<String, ?> kafka, int partitions,
                              Short replicationFactor) {
        ensureTopics(topics, kafka, partitions, replicationFactor);
        Topic<String, KeySnapshot> topic = topics.kmsKeyInventory();
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.keySet().removeIf(k -> !ProducerConfig.configNames().contains(k));
        try (KafkaProducer<String, KeySnapshot> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = keys.stream().map(k -> producer.send(new ProducerRecord<>(topic.name(),
                    null, k.snapshotTime().toEpochMilli(), k.keyArn(), k))).toList();
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
            return sent.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while writing the key inventory", e);
        } catch (ExecutionException e) {
            throw new IngestException("cannot write the key inventory to " + topic.name() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Creates kms-events (as ingest does) and kms-key-inventory (compacted, same partitions) when missing. */
    static void ensureTopics(Topics topics, Map<String, ?> kafka, int partitions, Short replicationFactor) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.keySet().removeIf(k -> !AdminClientConfig.configNames().contains(k));
        try (Admin admin = Admin.create(props)) {
            Optional<Short> rf = Optional.ofNullable(replicationFactor).filter(r -> r > 0);
            int events = TopicSetup.ensure(admin, List.of(new NewTopic(topics.kmsEvents().name(), Optional.of(partitions), rf)
                    .configs(Map.of("retention.ms", "-1"))), Duration.ofSeconds(60))
                    .get(topics.kmsEvents().name()).partitions().size();
            int inventory = TopicSetup.ensure(admin, List.of(new NewTopic(topics.kmsKeyInventory().name(), Optional.of(events), rf)
                    .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1"))), Duration.ofSeconds(60))
                    .get(topics.kmsKeyInventory().name()).partitions().size();
            if (inventory != events) {
                throw new IngestException(topics.kmsKeyInventory().name() + " has " + inventory + " partitions and "
                        + topics.kmsEvents().name() + " " + events + ": they must match, so that a key's snapshot and its"
                        + " events reach the same detection task; recreate " + topics.kmsKeyInventory().name());
            }
        } catch (TopicSetup.TopicSetupException e) {
            throw new IngestException("cannot create " + topics.kmsKeyInventory().name() + ": " + e.getMessage(), e);
        }
    }
}
