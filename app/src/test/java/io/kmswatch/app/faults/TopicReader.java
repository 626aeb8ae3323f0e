package io.kmswatch.app.faults;

import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Reads the pipeline's topics from the outside, as an operator's consumer would. */
final class TopicReader {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicReader() {
    }

    /**
     * Every record of {@code topic} up to its current end: the high watermark, or with
     * {@code committedOnly} the last stable offset, skipping aborted transactions ({@code read_committed}).
     */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), READ_TIMEOUT) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The eventID header of every record on kms-events (repeats included). */
    static List<String> eventIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> r.value() != null).map(r -> header(r, Topics.HEADER_EVENT_ID)).toList();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null) {
            throw new AssertionError("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " has no " + name + " header");
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The detections committed to kms-detections, in offset order per partition. */
    static List<Detection> detections(String bootstrap, Topics topics) {
        return readAll(bootstrap, topics.kmsDetections().name(), true).stream()
                .map(r -> topics.kmsDetections().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    /** The alert updates committed to kms-alerts. */
    static List<Alert> alerts(String bootstrap, Topics topics) {
        return readAll(bootstrap, topics.kmsAlerts().name(), true).stream()
                .filter(r -> r.value() != null)
                .map(r -> topics.kmsAlerts().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    /** The newest value of every key of a compacted topic (e.g. the ingest checkpoints). */
    static Map<String, byte[]> latestValues(String bootstrap, String topic) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        readAll(bootstrap, topic, false).forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    /** How many times each element occurs, for those that occur more than once. */
    static Map<String, Integer> repeats(List<String> values) {
        Map<String, Integer> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        counts.values().removeIf(n -> n == 1);
        return counts;
    }

    /**
     * Tells whether a consumer group has committed the end offset of every partition of a topic, that is
     * whether it has processed everything that topic holds.
     */
    static boolean groupCaughtUp(String bootstrap, String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                     new ByteArrayDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            return end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A reader that follows a topic from its beginning and keeps what it read, so a test can look at a
     * growing topic again and again without reading it from the start each time.
     */
    static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        /** Follows {@code topic}, waiting up to a minute for it to exist. */
        Tail(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            try {
                partitions = Awaitility.await("topic " + topic + " to appear").atMost(READ_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                                .map(info -> new TopicPartition(topic, info.partition())).toList(), found -> !found.isEmpty());
            } catch (ConditionTimeoutException e) {
                consumer.close();
                throw new AssertionError("topic " + topic + " did not appear within " + READ_TIMEOUT, e);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads up to the topic's current end and returns everything read so far. */
        List<ConsumerRecord<String, byte[]>> catchUp() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), READ_TIMEOUT) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read to " + end + " within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return List.copyOf(records);
        }

        /** The eventIDs read so far, after catching up. */
        List<String> eventIds() {
            return TopicReader.eventIds(catchUp());
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * A producer writing records the way ingest does: idempotent, {@code acks=all}, keyed by
     * {@link CloudTrailEvent#partitionKey()}, timestamped with eventTime, with the eventID header.
     */
    static final class EventWriter implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final String topic;

        EventWriter(String bootstrap, String topic) {
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            this.topic = topic;
        }

        void send(List<CloudTrailEvent> events) {
            try {
                for (CloudTrailEvent e : events) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
                            e.eventTime().toEpochMilli(), e.partitionKey(), e.unsafeRawBytes());
                    record.headers().add(Topics.HEADER_EVENT_ID, e.eventId().getBytes(StandardCharsets.UTF_8));
                    record.headers().add(Topics.HEADER_SOURCE, "test".getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
                producer.flush();
            } catch (RuntimeException e) {
                throw new AssertionError("cannot write to " + topic, e);
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
