package io.kmswatch.alerts;

import static io.kmswatch.alerts.KafkaSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Topics;
import io.kmswatch.events.UndeliverableAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dead-letter publisher against the embedded broker: a dead letter counts as settled only
 * once the broker has it; a write the broker refuses is tried again until it is taken; one alert's
 * dead letters keep their order; after stop nothing more is written.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(120)
class DeadLetterPublisherIT {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AlertsMetrics metrics = new AlertsMetrics();
    private final LogCapture log = new LogCapture(DeadLetterPublisher.class);
    private DeadLetterPublisher publisher;

    DeadLetterPublisherIT() {
        metrics.bindTo(registry);
    }

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
        log.close();
    }

    @Test
    void shouldTryARefusedWriteAgainUntilTheBrokerTakesItAndOnlyThenSettle(EmbeddedKafkaBroker broker)
            throws Exception {
        Topics topics = KafkaSupport.topics(broker, 1);
        String topic = topics.kmsAlertsUndeliverable().name();
        // The broker refuses every dead letter (MESSAGE_TOO_LARGE) until the limit is raised.
        maxMessageBytes(broker, topic, "64");
        publisher = publisher(broker, topics);
        Alert alert = Detections.fire().alert("a-1", List.of("pager"));
        UndeliverableAlert dead = new UndeliverableAlert(alert, "pager", "pager: HTTP 400 bad (permanent)", 1,
                Instant.parse("2026-11-29T10:00:00Z"));
        AtomicInteger written = new AtomicInteger();

        publisher.publish(dead, written::incrementAndGet);
        await(Duration.ofSeconds(30), "the refused write tried again twice",
                () -> log.at(Level.WARN, "Writing alert a-1 for sink pager to " + topic + " failed (attempt 2)").size() == 1);
        assertThat(written).as("not settled while refused").hasValue(0);
        assertThat(undeliverable("pager")).isZero();

        maxMessageBytes(broker, topic, "1048588");
        await(Duration.ofSeconds(30), "settled once the broker took it", () -> written.get() == 1);

        assertThat(KafkaSupport.readUntil(broker, topics.kmsAlertsUndeliverable(), l -> !l.isEmpty(),
                Duration.ofSeconds(30))).containsExactly(dead);
        assertThat(undeliverable("pager")).isEqualTo(1);
        assertThat(log.at(Level.WARN, "failed (attempt 1), retrying in 50 ms")).hasSize(1);
        assertThat(log.lines()).allSatisfy(l -> assertThat(l.message()).doesNotContain(alert.title(), alert.keyArn()));
    }

    @Test
    void shouldKeepOneAlertsDeadLettersInOrderAndWriteNothingAfterStop(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = KafkaSupport.topics(broker, 3);
        publisher = publisher(broker, topics);
        List<Alert> updates = Detections.updates(1, List.of("pager")).get(0);
        AtomicInteger written = new AtomicInteger();

        updates.forEach(a -> publisher.publish(new UndeliverableAlert(a, "pager", "pager: queue full", 0, null),
                written::incrementAndGet));
        await(Duration.ofSeconds(30), "all written", () -> written.get() == updates.size());
        publisher.stop();
        publisher.publish(new UndeliverableAlert(updates.get(0), "pager", "after stop", 0, null),
                written::incrementAndGet);
        publisher.close();

        assertThat(KafkaSupport.readUntil(broker, topics.kmsAlertsUndeliverable(), l -> l.size() >= updates.size(),
                Duration.ofSeconds(30))).extracting(UndeliverableAlert::alert).containsExactlyElementsOf(updates);
        assertThat(endOffsets(broker, topics.kmsAlertsUndeliverable().name(), 3)).isEqualTo(updates.size());
        assertThat(written).hasValue(updates.size());
        assertThat(undeliverable("pager")).isEqualTo(updates.size());
    }

    private DeadLetterPublisher publisher(EmbeddedKafkaBroker broker, Topics topics) {
        AlertsAppSettings settings = AlertsAppSettings.of(broker.bootstrapServers()).withTopicPrefix(topics.prefix())
                .withApplicationId("dead-" + topics.prefix());
        DeliveryConfig delivery = new DeliveryConfig(null, null, Duration.ofMillis(50), Duration.ofMillis(200), 2.0,
                0.5, null, null, null, null);
        return DeadLetterPublisher.create(settings, delivery, metrics, () -> 0.0);
    }

    private double undeliverable(String sink) {
        var c = registry.find(AlertsMetrics.UNDELIVERABLE).tag("sink", sink).counter();
        return c == null ? 0 : c.count();
    }

    private static void maxMessageBytes(EmbeddedKafkaBroker broker, String topic, String bytes) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    private static long endOffsets(EmbeddedKafkaBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                q.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(q).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }
}
