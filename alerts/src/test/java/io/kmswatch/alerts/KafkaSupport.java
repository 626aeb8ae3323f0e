package io.kmswatch.alerts;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.events.Topic;
import io.kmswatch.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/** Kafka plumbing for the alerts ITs: unique topic prefixes, produce, read until, await. */
final class KafkaSupport {
    private KafkaSupport() {
    }

    /** A fresh topic catalogue with its alerts topics created. */
    static Topics topics(EmbeddedKafkaBroker broker, int partitions) {
        Topics topics = Topics.withPrefix("it-" + UUID.randomUUID().toString().substring(0, 8) + "-");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            AlertsApp.createTopics(admin, topics, partitions);
            List<String> names = List.of(topics.kmsDetections().name(), topics.kmsAlerts().name(),
                    topics.kmsAlertsUndeliverable().name());
            // A producer that races the new partitions' leader election can be answered
            // NOT_LEADER_OR_FOLLOWER for its first batch while later ones land; wait for leaders first.
            await(Duration.ofSeconds(30), "leaders for " + names, () -> {
                try {
                    return admin.describeTopics(names).allTopicNames().get().values().stream()
                            .allMatch(d -> d.partitions().size() == partitions
                                    && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                } catch (Exception e) {
                    return false;
                }
            });
        }
        return topics;
    }

    static <K, V> void produce(EmbeddedKafkaBroker broker, Topic<K, V> topic, List<Map.Entry<K, V>> records) {
        // One request in flight: a retried first batch cannot be overtaken by the next (see topics()).
        try (KafkaProducer<K, V> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "max.in.flight.requests.per.connection", 1), topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            for (Map.Entry<K, V> r : records) {
                p.send(new ProducerRecord<>(topic.name(), r.getKey(), r.getValue()));
            }
            p.flush();
        }
    }

    /** Reads the topic from the start until {@code done} holds for what was read, or the timeout. */
    static <K, V> List<V> readUntil(EmbeddedKafkaBroker broker, Topic<K, V> topic, Predicate<List<V>> done,
                                    Duration timeout) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed", "enable.auto.commit", "false"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            c.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(values) && System.nanoTime() < deadline) {
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    /** Polls the condition every 50 ms (Awaitility); fails with the message when it does not hold within the bound. */
    static void await(Duration bound, String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(bound).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }
}
