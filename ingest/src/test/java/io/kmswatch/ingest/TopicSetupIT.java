package io.kmswatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmswatch.broker.KafkaCluster;
import io.kmswatch.events.TopicSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The start-up race of the stages on a fresh three-broker cluster: ingest, detect and alerts each
 * create the topics they use, overlapping, at the same moment, each with its own admin client. Every
 * one of them must come out with every topic usable at once by an idempotent producer.
 */
@Tag("system")
class TopicSetupIT {
    private static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldGiveEveryRacingStageUsableTopics() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 5; round++) {
                String p = "r" + round + "-";
                List<List<String>> stages = List.of(
                        List.of(p + "kms-events", p + "kms-events-rejected", p + "ingest-checkpoints"),
                        List.of(p + "kms-events", p + "kms-detections", p + "kms-events-rejected"),
                        List.of(p + "kms-detections", p + "kms-alerts", p + "kms-alerts-undeliverable"));
                List<Future<Map<String, TopicDescription>>> results = new ArrayList<>();
                for (List<String> names : stages) {
                    results.add(pool.submit(() -> {
                        try (Admin admin = admin()) {
                            return TopicSetup.ensure(admin, topics(names, 4), Duration.ofSeconds(60));
                        }
                    }));
                }
                for (int i = 0; i < stages.size(); i++) {
                    Map<String, TopicDescription> described = results.get(i).get(90, TimeUnit.SECONDS);
                    assertThat(described).containsOnlyKeys(stages.get(i));
                    assertThat(described.values()).allSatisfy(d -> {
                        assertThat(d.partitions()).hasSize(4);
                        assertThat(d.partitions()).allSatisfy(part -> assertThat(part.leader()).isNotNull());
                    });
                }
                // Usable at once: an idempotent producer's first batch to each partition is accepted.
                try (KafkaProducer<String, String> producer = producer()) {
                    List<Future<?>> sent = new ArrayList<>();
                    for (List<String> names : stages) {
                        for (String topic : names) {
                            for (int partition = 0; partition < 4; partition++) {
                                sent.add(producer.send(new ProducerRecord<>(topic, partition, "k", "v")));
                            }
                        }
                    }
                    for (Future<?> f : sent) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldLeaveExistingTopicsAsTheyAre() {
        try (Admin admin = admin()) {
            TopicSetup.ensure(admin, topics(List.of("existing"), 2), Duration.ofSeconds(60));
            Map<String, TopicDescription> again = TopicSetup.ensure(admin, topics(List.of("existing"), 6),
                    Duration.ofSeconds(60));
            assertThat(again.get("existing").partitions()).hasSize(2);
        }
    }

    @Test
    void shouldFailAtOnceWhenTheClusterRefusesForGood() {
        long start = System.nanoTime();
        try (Admin admin = admin()) {
            NewTopic tooMany = new NewTopic("five-replicas", Optional.of(1), Optional.of((short) 5));
            assertThatThrownBy(() -> TopicSetup.ensure(admin, List.of(tooMany), Duration.ofSeconds(60)))
                    .isInstanceOf(TopicSetup.TopicSetupException.class)
                    .hasMessageContaining("five-replicas")
                    .hasCauseInstanceOf(InvalidReplicationFactorException.class);
        }
        // Not retried until the deadline: a refusal that cannot change is reported straight away.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    private static List<NewTopic> topics(List<String> names, int partitions) {
        return names.stream()
                .map(n -> new NewTopic(n, Optional.of(partitions), Optional.empty()).configs(Map.of("retention.ms", "-1")))
                .toList();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }
}
