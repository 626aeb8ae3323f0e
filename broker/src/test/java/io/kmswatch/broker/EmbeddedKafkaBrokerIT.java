package io.kmswatch.broker;

import static io.kmswatch.broker.KafkaTestClients.produce;
import static io.kmswatch.broker.KafkaTestClients.readAll;
import static io.kmswatch.broker.KafkaTestClients.readAsGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.internals.Exit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaBrokerIT {
    /** A CloudTrail-era event time, years older than any default retention or timestamp check. */
    private static final Instant EVENT_2014 = Instant.parse("2014-11-12T10:15:30Z");
    /** A timestamp from a source whose clock runs far ahead. */
    private static final Instant EVENT_2035 = Instant.parse("2035-01-01T00:00:00Z");

    @Test
    void shouldDeliverRecordsWithTheirOriginalOldAndFutureTimestamps(EmbeddedKafkaBroker kafka) throws Exception {
        String topic = "kms-events-" + UUID.randomUUID();
        kafka.createTopics(2, topic);
        long now = System.currentTimeMillis();

        produce(kafka.bootstrapServers(), List.of(
                new ProducerRecord<>(topic, null, EVENT_2014.toEpochMilli(), "key-a", "decrypt in 2014"),
                new ProducerRecord<>(topic, null, now, "key-a", "decrypt now"),
                new ProducerRecord<>(topic, null, EVENT_2035.toEpochMilli(), "key-b", "decrypt in 2035")));
        List<ConsumerRecord<String, String>> records =
                readAsGroup(kafka.bootstrapServers(), topic, "group-" + UUID.randomUUID(), 3);

        assertThat(records)
                .extracting(ConsumerRecord::value, ConsumerRecord::timestamp, ConsumerRecord::timestampType)
                .containsExactlyInAnyOrder(
                        tuple("decrypt in 2014", EVENT_2014.toEpochMilli(), TimestampType.CREATE_TIME),
                        tuple("decrypt now", now, TimestampType.CREATE_TIME),
                        tuple("decrypt in 2035", EVENT_2035.toEpochMilli(), TimestampType.CREATE_TIME));
    }

    @Test
    void shouldRunWithReplaySafeTimestampAndRetentionDefaults(EmbeddedKafkaBroker kafka) throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);

            assertThat(config.get("log.message.timestamp.before.max.ms").value()).isEqualTo(Long.toString(Long.MAX_VALUE));
            assertThat(config.get("log.message.timestamp.after.max.ms").value()).isEqualTo(Long.toString(Long.MAX_VALUE));
            assertThat(config.get("log.retention.ms").value()).isEqualTo("-1");
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        }
    }

    @Test
    void shouldShareOneBrokerAcrossTestsInTheJvm(EmbeddedKafkaBroker first, EmbeddedKafkaBroker second) {
        assertThat(first).isSameAs(second);
        assertThat(EmbeddedKafkaExtension.startedBrokers()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToTerminateTheJvmWhileABrokerRuns(EmbeddedKafkaBroker kafka) {
        // Without the guard, either call would end this test JVM and the build would report a crash.
        assertThatThrownBy(() -> Exit.halt(1, "simulated fatal fault"))
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("halt(1)");
        assertThatThrownBy(() -> Exit.exit(1))
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("exit(1)");
    }

    @Test
    void shouldKeepOldRecordsAndReadThemBackAfterARestart(@TempDir Path tempDir) throws Exception {
        BrokerConfig config = BrokerConfig.builder()
                .dataDir(tempDir.resolve("kafka"))
                // Run the retention check at once and then every 200 ms, so a deletion would
                // happen within this test rather than 30 s / 5 min after start.
                .brokerProperty("log.initial.task.delay.ms", "0")
                .brokerProperty("log.retention.check.interval.ms", "200")
                .build();
        // One record per day from 2014-11-12. With segment.ms of 1 s each record starts a segment
        // (rolling follows record timestamps), so time-based retention has closed segments to delete.
        List<Instant> eventTimes = IntStream.range(0, 5)
                .mapToObj(day -> EVENT_2014.plus(Duration.ofDays(day)))
                .collect(Collectors.toList());
        String replay = "kms-events-replay";
        String control = "kms-events-seven-day-retention";

        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config)) {
            clusterId = broker.clusterId();
            broker.createTopics(List.of(
                    new NewTopic(replay, 1, (short) 1).configs(Map.of("segment.ms", "1000")),
                    // Kafka's own default retention (7 days), set explicitly: it shows what the
                    // broker default of -1 prevents.
                    new NewTopic(control, 1, (short) 1).configs(Map.of("segment.ms", "1000",
                            "retention.ms", Long.toString(Duration.ofDays(7).toMillis())))));
            for (String topic : List.of(replay, control)) {
                produce(broker.bootstrapServers(), eventTimes.stream()
                        .map(time -> new ProducerRecord<>(topic, null, time.toEpochMilli(), "key", "event at " + time))
                        .collect(Collectors.toList()));
            }

            awaitEarliestOffsetAbove(broker, control, 0);
            assertThat(earliestOffset(broker, replay)).isZero();
        }
        assertThat(tempDir.resolve("kafka").resolve("meta.properties")).exists();

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(config)) {
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            List<ConsumerRecord<String, String>> records = readAll(restarted.bootstrapServers(), replay, 5);

            assertThat(records)
                    .extracting(ConsumerRecord::offset, ConsumerRecord::timestamp)
                    .containsExactlyElementsOf(IntStream.range(0, 5)
                            .mapToObj(i -> tuple((long) i, eventTimes.get(i).toEpochMilli()))
                            .collect(Collectors.toList()));
        }
    }

    private static long earliestOffset(EmbeddedKafkaBroker broker, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.earliest()))
                    .partitionResult(partition).get(30, TimeUnit.SECONDS).offset();
        }
    }

    private static void awaitEarliestOffsetAbove(EmbeddedKafkaBroker broker, String topic, long offset)
            throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(earliestOffset(broker, topic))
                        .as("log start offset of %s after retention checks", topic).isGreaterThan(offset));
    }
}
