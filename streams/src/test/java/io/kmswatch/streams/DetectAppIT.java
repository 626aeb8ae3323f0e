package io.kmswatch.streams;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.scheduleKeyDeletion;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailEventSerde;
import io.kmswatch.events.ControlRecords;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detect stage on a real (embedded) broker with exactly-once: hand-built records produce the
 * expected detections, an unreadable record goes to kms-events-rejected, and two instances sharing
 * four partitions — one of them killed mid-stream — still write every detection exactly once.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DetectAppIT {
    private static final String RUNNING = "RUNNING";

    @TempDir
    Path tmp;

    static StreamsSettings settings(String bootstrap, String appId, String prefix, Path stateDir) {
        // A killed member's partitions move after the session timeout: keep it short for the test.
        return StreamsSettings.of(bootstrap).withApplicationId(appId).withTopicPrefix(prefix).withStateDir(stateDir)
                .withKafka(Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
    }

    /** Per key: DisableKey then ScheduleKeyDeletion (three detections), with decrypt traffic around them. */
    private static List<CloudTrailEvent> scenario(int keys, int offsetSeconds) {
        List<CloudTrailEvent> events = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            String key = String.format("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-%012d",
                    offsetSeconds * 1000 + k);
            for (int i = 0; i < 5; i++) {
                events.add(decrypt().key(key).at(T0.plusSeconds(offsetSeconds + i)).build());
            }
            events.add(disableKey().key(key).at(T0.plusSeconds(offsetSeconds + 10)).build());
            events.add(scheduleKeyDeletion(7).key(key).at(T0.plusSeconds(offsetSeconds + 20)).build());
        }
        // One principal denied on many keys: the per-principal path (repartition) fires too.
        for (int i = 0; i < 10; i++) {
            String key = String.format("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-9000-%012d",
                    offsetSeconds * 1000 + i);
            events.add(decrypt().key(key).principal("arn:aws:iam::111122223333:user/mallory" + offsetSeconds)
                    .at(T0.plusSeconds(offsetSeconds + 30 + i)).error("AccessDeniedException", "not authorized").build());
        }
        return events;
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, List<CloudTrailEvent> events)
            throws Exception {
        for (CloudTrailEvent e : events) {
            producer.send(new ProducerRecord<>(topic, null, e.eventTime().toEpochMilli(), e.partitionKey(),
                    new CloudTrailEventSerde().serializer().serialize(topic, e))).get(10, TimeUnit.SECONDS);
        }
        producer.flush();
    }

    private static KafkaConsumer<String, byte[]> committedReader(EmbeddedKafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    /** Reads until {@code expected} records arrived and then a quiet second passed, or the deadline. */
    private static List<ConsumerRecord<String, byte[]>> readAtLeast(KafkaConsumer<String, byte[]> c, int expected,
                                                                    Duration deadline) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        long quietUntil = Long.MAX_VALUE;
        while (System.nanoTime() < end && System.nanoTime() < quietUntil) {
            var batch = c.poll(Duration.ofMillis(200));
            batch.forEach(out::add);
            if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            }
        }
        return out;
    }

    private static Map<String, Integer> firings(List<ConsumerRecord<String, byte[]>> records, Topics topics) {
        Map<String, Integer> n = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            Detection d = topics.kmsDetections().valueSerde().deserializer().deserialize(r.topic(), r.value());
            n.merge(d.fingerprint() + "#" + d.tier() + (d.resolves() ? "#resolved" : ""), 1, Integer::sum);
        }
        return n;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldWriteTheExpectedDetectionsAndRejectUnreadableRecords(EmbeddedKafkaBroker kafka) throws Exception {
        String prefix = "it1-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        StreamsSettings s = settings(kafka.bootstrapServers(), prefix + "detect", prefix, tmp.resolve("a"));
        Topics topics = s.topics();
        List<CloudTrailEvent> events = scenario(3, 0);
        try (DetectApp app = new DetectApp(s, DetectionsConfig.defaultConfig(), new StreamsMetrics());
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            app.start();
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            producer.send(new ProducerRecord<>(topics.kmsEvents().name(), "bad",
                    "not a record".getBytes(StandardCharsets.UTF_8))).get();
            send(producer, topics.kmsEvents().name(), events);

            try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topics.kmsDetections().name())) {
                Map<String, Integer> got = firings(readAtLeast(c, 10, Duration.ofSeconds(60)), topics);
                assertThat(got).hasSize(10).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
                assertThat(got.keySet()).filteredOn(k -> k.startsWith("key-disabled:")).hasSize(3);
                assertThat(got.keySet()).filteredOn(k -> k.startsWith("key-deletion-scheduled:")).hasSize(3);
                assertThat(got.keySet()).filteredOn(k -> k.startsWith("key-destruction-chain:")).hasSize(3);
                assertThat(got.keySet()).filteredOn(k -> k.startsWith("access-denied-burst:")).hasSize(1);
            }
            try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topics.kmsEventsRejected().name())) {
                List<ConsumerRecord<String, byte[]>> rejected = readAtLeast(c, 1, Duration.ofSeconds(30));
                assertThat(rejected).singleElement().satisfies(r -> {
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not a record");
                    assertThat(r.headers().lastHeader(Topics.HEADER_REASON)).isNotNull();
                });
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldWriteEveryDetectionExactlyOnceWhenOneOfTwoInstancesIsKilledMidStream(EmbeddedKafkaBroker kafka)
            throws Exception {
        String prefix = "it2-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "detect";
        StreamsSettings s = settings(kafka.bootstrapServers(), appId, prefix, tmp.resolve("a"));
        Topics topics = s.topics();
        List<CloudTrailEvent> first = scenario(20, 0);
        List<CloudTrailEvent> second = scenario(20, 100);
        List<CloudTrailEvent> all = new ArrayList<>(first);
        all.addAll(second);
        int expected = 2 * (20 * 3 + 1);

        try (DetectApp a = new DetectApp(s, DetectionsConfig.defaultConfig(), new StreamsMetrics());
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            a.start();
            assertThat(a.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Path stateB = Files.createDirectories(tmp.resolve("b"));
            Process b = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), DetectAppMain.class.getName(),
                    kafka.bootstrapServers(), appId, prefix, stateB.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo(RUNNING);
                // Both members are in the group once a has rebalanced back to RUNNING.
                Thread.sleep(500);
                assertThat(a.awaitRunning(Duration.ofSeconds(60))).isTrue();

                send(producer, topics.kmsEvents().name(), first);
                try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topics.kmsDetections().name())) {
                    readAtLeast(c, 5, Duration.ofSeconds(60));
                }
                b.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                send(producer, topics.kmsEvents().name(), second);

                try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topics.kmsDetections().name())) {
                    Map<String, Integer> got = firings(readAtLeast(c, expected, Duration.ofSeconds(120)), topics);
                    assertThat(got).hasSize(expected);
                    assertThat(got).allSatisfy((k, v) -> assertThat(v).as("firings of " + k).isEqualTo(1));
                }
            } finally {
                b.destroyForcibly();
            }
        }
    }

    /**
     * The end of a replay, one tick per input partition: the per-principal side must settle only once every
     * upstream partition's events are in (a tick that simply pushed stream time would make the events still
     * coming through the repartition late), and then decide the novelty of the last grace (new-source-ip).
     * Principals are chosen to land on every partition of the four-partition repartition topic.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldSettleEveryTaskOfBothSubTopologiesWithOneTickPerInputPartition(EmbeddedKafkaBroker kafka) throws Exception {
        String prefix = "it3-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        StreamsSettings s = settings(kafka.bootstrapServers(), prefix + "detect", prefix, tmp.resolve("c"));
        Topics topics = s.topics();
        List<String> principals = new ArrayList<>();
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        for (int i = 0; covered.size() < s.partitions() || principals.size() < 2 * s.partitions(); i++) {
            String p = "arn:aws:iam::111122223333:role/app-" + i;
            int partition = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(p.getBytes(StandardCharsets.UTF_8))) % s.partitions();
            if (covered.add(partition) || covered.size() == s.partitions()) {
                principals.add(p);
            }
        }
        List<CloudTrailEvent> events = new ArrayList<>();
        for (int i = 0; i < principals.size(); i++) {
            String key = String.format("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-a000-%012d", i);
            events.add(decrypt().key(key).principal(principals.get(i)).sourceIp("10.0.0.1").at(T0).build());
            events.add(decrypt().key(key).principal(principals.get(i)).sourceIp("10.0.0.1")
                    .at(T0.plus(Duration.ofDays(2))).build());
            events.add(decrypt().key(key).principal(principals.get(i)).sourceIp("203.0.113." + (i + 1))
                    .at(T0.plus(Duration.ofDays(2)).plusSeconds(60)).build());
        }
        events.add(scheduleKeyDeletion(7).at(T0).build());
        events.sort(java.util.Comparator.comparing(CloudTrailEvent::eventTime)); // in order, as a replay sends them
        DetectionsConfig config = DetectionsConfig.defaultConfig().onlyEnabled("new-source-ip", "key-deletion-pending");
        StreamsMetrics metrics = new StreamsMetrics();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        metrics.bindTo(registry);
        try (DetectApp app = new DetectApp(s, config, metrics);
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            app.start();
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            send(producer, topics.kmsEvents().name(), events);
            long tickAt = T0.plus(Duration.ofDays(2 + 31)).toEpochMilli();
            for (int p = 0; p < s.partitions(); p++) {
                var tick = ControlRecords.settleTick(topics.kmsEvents().name(), p, Instant.ofEpochMilli(tickAt));
                producer.send(new ProducerRecord<>(tick.topic(), tick.partition(), tick.timestamp(), (String) null,
                        (byte[]) null, tick.headers())).get(10, TimeUnit.SECONDS);
            }
            int expected = principals.size() + 1;
            try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topics.kmsDetections().name())) {
                Map<String, Integer> got = firings(readAtLeast(c, expected, Duration.ofSeconds(60)), topics);
                assertThat(got.keySet()).filteredOn(k -> k.startsWith("new-source-ip:")).hasSize(principals.size());
                assertThat(got.keySet()).filteredOn(k -> k.startsWith("key-deletion-pending:")).hasSize(1);
            }
            try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topics.kmsEventsRejected().name())) {
                assertThat(readAtLeast(c, 1, Duration.ofSeconds(3))).as("a tick is not a bad record").isEmpty();
            }
            assertThat(registry.find("kmswatch.streams.events").counters().stream().mapToDouble(x -> x.count()).sum())
                    .as("ticks are not events").isEqualTo(events.size());
        }
    }
}
