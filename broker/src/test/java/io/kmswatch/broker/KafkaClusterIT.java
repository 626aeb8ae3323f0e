package io.kmswatch.broker;

import static io.kmswatch.broker.KafkaTestClients.produce;
import static io.kmswatch.broker.KafkaTestClients.readAsGroup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Three brokers in three child JVMs: replication, a killed or stopped node, and its return. */
@Tag("system")
class KafkaClusterIT {
    private static KafkaCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaCluster.start(3);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldKeepServingWhenTheQuorumLeaderIsKilledAndCatchItUpOnRestart() throws Exception {
        String topic = "kms-events-" + UUID.randomUUID();
        String group = "detect-" + UUID.randomUUID();
        cluster.createTopics(3, topic);
        // the controller has the topic; the broker the admin asks learns it from the metadata log a moment later
        Awaitility.await(topic + " described with 3 replicas").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .untilAsserted(() -> assertThat(describe(topic).partitions())
                        .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
        produce(cluster.bootstrapServers(), records(topic, "before", 10));
        assertThat(readAsGroup(cluster.bootstrapServers(), topic, group, 10)).hasSize(10);

        // Killing the active controller also forces a controller election among the other two.
        int victim = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        long pid = cluster.node(victim).pid();
        cluster.kill(victim);
        assertThat(ProcessHandle.of(pid)).isEmpty();

        // acks=all with min.insync.replicas=2 still succeeds on the two remaining replicas, and the
        // group resumes from the offsets committed before the kill.
        produce(cluster.bootstrapServers(), records(topic, "during", 10));
        List<ConsumerRecord<String, String>> during = readAsGroup(cluster.bootstrapServers(), topic, group, 10);
        assertThat(during).extracting(ConsumerRecord::value).allMatch(value -> value.startsWith("during"));
        assertThat(during).hasSize(10);

        cluster.restart(victim);
        awaitFullIsr(topic);
        produce(cluster.bootstrapServers(), records(topic, "after", 10));
        assertThat(readAsGroup(cluster.bootstrapServers(), topic, group, 10)).hasSize(10);
    }

    @Test
    void shouldKeepServingWhileANodeIsStoppedCleanly() throws Exception {
        String topic = "kms-alerts-" + UUID.randomUUID();
        String group = "alerts-" + UUID.randomUUID();
        cluster.createTopics(2, topic);
        int stopped = 3;

        cluster.stop(stopped);
        assertThat(cluster.isRunning(stopped)).isFalse();
        produce(cluster.bootstrapServers(), records(topic, "while-stopped", 10));
        assertThat(readAsGroup(cluster.bootstrapServers(), topic, group, 10)).hasSize(10);

        cluster.restart(stopped);
        assertThat(cluster.isRunning(stopped)).isTrue();
        awaitFullIsr(topic);
        assertThat(liveBrokerIds()).containsExactlyInAnyOrder(1, 2, 3);
    }

    private static List<ProducerRecord<String, String>> records(String topic, String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new ProducerRecord<>(topic, "key-" + i, prefix + "-" + i))
                .collect(Collectors.toList());
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static Set<Integer> liveBrokerIds() throws Exception {
        return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                .map(Node::id)
                .collect(Collectors.toSet());
    }

    /** The restarted node is back in every ISR once it has caught up from its own data directory. */
    private static void awaitFullIsr(String topic) throws Exception {
        Awaitility.await("every ISR of " + topic + " back to 3").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(describe(topic).partitions())
                        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3)));
    }
}
