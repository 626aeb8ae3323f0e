package io.kmswatch.streams;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailEventSerde;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Topics;
import io.kmswatch.streams.sigma.SigmaDetections;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sigma correlation's window survives a {@code kill -9} of the only detect process: two of the three events
 * are processed and committed, the process is killed right after the third is sent, a new instance with an empty
 * state directory restores the window from the changelog, and the correlation fires exactly once.
 */
@Tag("system") // the detect process is a child JVM, killed with SIGKILL
@ExtendWith(EmbeddedKafkaExtension.class)
class SigmaDetectKillIT {
    private static final String CORRELATION_ID = "5b0c7e55-0000-4000-8000-00000000c0de";
    private static final String PRINCIPAL = "arn:aws:iam::111122223333:user/mallory";
    private static final String RULES = """
            title: Three keys disabled by one principal
            id: %s
            author: kmswatch team
            correlation:
                type: event_count
                rules:
                    - key_disabled
                group-by:
                    - userIdentity.arn
                timespan: 10m
                condition:
                    gte: 3
            level: critical
            ---
            title: One key disabled
            name: key_disabled
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: DisableKey
                condition: selection
            """.formatted(CORRELATION_ID);

    @TempDir
    Path tmp;

    private static String key(int i) {
        return String.format("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-%012d", i);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, List<CloudTrailEvent> events)
            throws Exception {
        for (CloudTrailEvent e : events) {
            producer.send(new ProducerRecord<>(topic, null, e.eventTime().toEpochMilli(), e.partitionKey(),
                    new CloudTrailEventSerde().serializer().serialize(topic, e))).get(10, TimeUnit.SECONDS);
        }
        producer.flush();
    }

    /** Waits until the application has committed everything in its input and its correlation repartition. */
    private static void awaitCaughtUp(Admin admin, String appId, List<String> topics, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> want = new HashMap<>();
            for (String t : topics) {
                admin.describeTopics(List.of(t)).allTopicNames().get(10, TimeUnit.SECONDS).get(t).partitions()
                        .forEach(p -> want.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
            }
            var ends = admin.listOffsets(want).all().get(10, TimeUnit.SECONDS);
            boolean caughtUp = ends.entrySet().stream().allMatch(e -> {
                long endOffset = e.getValue().offset();
                OffsetAndMetadata c = committed.get(e.getKey());
                // under exactly-once the last offset of a partition is the transaction's commit marker
                return endOffset == 0 || c != null && c.offset() >= endOffset - 1;
            });
            if (caughtUp) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the detect application did not catch up within " + timeout);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldFireACorrelationExactlyOnceWhenDetectIsKilledMidWindow(EmbeddedKafkaBroker kafka) throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("burst.yml"), RULES);
        String prefix = "sigma-kill-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "detect";
        StreamsSettings s = DetectAppIT.settings(kafka.bootstrapServers(), appId, prefix, tmp.resolve("a"));
        Topics topics = s.topics();

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
             Admin admin = Admin.create(ap)) {
            Process b = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), SigmaDetectMain.class.getName(),
                    kafka.bootstrapServers(), appId, prefix, tmp.resolve("b").toString(), rules.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("RUNNING");
                // two of three in the window, on keys of different partitions, with traffic around them
                List<CloudTrailEvent> firstTwo = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    firstTwo.add(decrypt().key(key(i)).at(T0.plusSeconds(i)).build());
                }
                firstTwo.add(disableKey().key(key(1)).principal(PRINCIPAL).at(T0.plusSeconds(10)).build());
                firstTwo.add(disableKey().key(key(2)).principal(PRINCIPAL).at(T0.plusSeconds(70)).build());
                send(producer, topics.kmsEvents().name(), firstTwo);
                awaitCaughtUp(admin, appId, List.of(topics.kmsEvents().name(),
                        appId + "-" + SigmaDetections.BY_GROUP + "-repartition"), Duration.ofSeconds(90));

                // the third, and time moving past the grace; killed while it may be in flight
                List<CloudTrailEvent> rest = new ArrayList<>();
                rest.add(disableKey().key(key(3)).principal(PRINCIPAL).at(T0.plusSeconds(130)).build());
                for (int i = 0; i < 8; i++) {
                    rest.add(decrypt().key(key(i)).at(T0.plusSeconds(600 + i)).build());
                }
                send(producer, topics.kmsEvents().name(), rest);
                b.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } finally {
                b.destroyForcibly();
            }

            // a new instance on an empty state directory: the window comes back from the changelog
            try (DetectApp a = new DetectApp(s, SigmaDetectMain.config(rules.toString()), new StreamsMetrics())) {
                a.start();
                assertThat(a.awaitRunning(Duration.ofSeconds(90))).isTrue();
                Properties cp = new Properties();
                cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                cp.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
                cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    c.subscribe(List.of(topics.kmsDetections().name()));
                    List<Detection> got = new ArrayList<>();
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    long quietUntil = Long.MAX_VALUE;
                    while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                            got.add(topics.kmsDetections().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                        }
                        if (!got.isEmpty() && quietUntil == Long.MAX_VALUE) {
                            // anything written twice would arrive within the next commit intervals
                            quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                        }
                    }
                    assertThat(got).singleElement().satisfies(d -> {
                        assertThat(d.detection()).isEqualTo("sigma:" + CORRELATION_ID);
                        assertThat(d.count()).isEqualTo(3);
                        assertThat(d.evidence()).hasSize(3);
                    });
                }
            }
        }
    }
}
