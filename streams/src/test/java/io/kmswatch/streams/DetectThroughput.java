package io.kmswatch.streams;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

/**
 * A manual measurement, not a test: end-to-end events/s of the detect topology with every detection
 * on, from a pre-filled {@code kms-events} backlog, beside a plain consume+produce copy of the same
 * records. Run: {@code java -cp <test classpath> io.kmswatch.streams.DetectThroughput [events] [guarantee]}.
 */
public final class DetectThroughput {
    private DetectThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("latency")) {
            latency(args.length > 1 ? args[1] : StreamsSettings.EXACTLY_ONCE_V2,
                    Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 100));
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String guarantee = args.length > 1 ? args[1] : StreamsSettings.EXACTLY_ONCE_V2;
        Duration commit = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 100);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            String prefix = "bench.";
            StreamsSettings s = StreamsSettings.of(kafka.bootstrapServers()).withTopicPrefix(prefix)
                    .withApplicationId("bench-detect").withProcessingGuarantee(guarantee).withCommitInterval(commit)
                    .withKafka(extraKafka())
                    .withStateDir(Files.createTempDirectory("bench-state"));
            kafka.createTopics(4, prefix + "kms-events", prefix + "raw-copy");
            fill(kafka, prefix + "kms-events", n);

            long rawStart = System.nanoTime();
            copy(kafka, prefix + "kms-events", prefix + "raw-copy", n);
            double rawRate = n / ((System.nanoTime() - rawStart) / 1e9);

            StreamsMetrics metrics = new StreamsMetrics();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            metrics.bindTo(registry);
            try (DetectApp app = new DetectApp(s, DetectionsConfig.defaultConfig(), metrics)) {
                app.start();
                long launched = System.nanoTime();
                while (processed(registry) < 1) {
                    Thread.sleep(5);
                }
                long start = System.nanoTime();
                while (processed(registry) < n && System.nanoTime() - start < Duration.ofMinutes(10).toNanos()) {
                    Thread.sleep(20);
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("events=%d guarantee=%s commit=%s detect=%.0f events/s (%.1f s after %.1f s start-up)"
                        + " raw copy=%.0f records/s ratio=%.2f%n", n, guarantee, commit, n / secs, secs,
                        (start - launched) / 1e9, rawRate, (n / secs) / rawRate);
            }
        }
    }

    /**
     * Detection latency at a steady 1,000 events/s for 20 s: every 20th event is a DisableKey on a fresh
     * key, which fires key-disabled; latency is from handing the event to the producer to reading its
     * detection with a read_committed consumer.
     */
    private static void latency(String guarantee, Duration commit) throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            String prefix = "lat.";
            StreamsSettings s = StreamsSettings.of(kafka.bootstrapServers()).withTopicPrefix(prefix)
                    .withApplicationId("lat-detect").withProcessingGuarantee(guarantee).withCommitInterval(commit)
                    .withStateDir(Files.createTempDirectory("lat-state"))
                    .withKafka(extraKafka());
            Map<String, Long> sent = new java.util.concurrent.ConcurrentHashMap<>();
            List<Long> latencies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            DetectionsConfig config = System.getProperty("only") == null ? DetectionsConfig.defaultConfig()
                    : DetectionsConfig.defaultConfig().onlyEnabled(System.getProperty("only").split(","));
            try (DetectApp app = new DetectApp(s, config, new StreamsMetrics())) {
                app.start();
                app.awaitRunning(Duration.ofSeconds(60));
                Properties c = new Properties();
                c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                c.put(ConsumerConfig.GROUP_ID_CONFIG, "lat-reader");
                c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread reader = new Thread(() -> {
                    var serde = s.topics().kmsDetections().valueSerde().deserializer();
                    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                            new ByteArrayDeserializer())) {
                        consumer.subscribe(List.of(s.topics().kmsDetections().name()));
                        while (!stop.get()) {
                            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                                long now = System.nanoTime();
                                var d = serde.deserialize(r.topic(), r.value());
                                Long t = d.detection().equals("key-disabled") ? sent.get(d.evidence().get(0)) : null;
                                if (t != null) {
                                    latencies.add(now - t);
                                }
                            }
                        }
                    }
                });
                reader.start();
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                        new ByteArraySerializer())) {
                    long start = System.nanoTime();
                    for (int i = 0; i < 20_000; i++) {
                        long due = start + i * 1_000_000L;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait); // never spin: 2 shared cores
                        }
                        Instant t = CloudTrailFixtures.T0.plusMillis(i);
                        CloudTrailEvent e = i % 20 == 0
                                ? CloudTrailFixtures.disableKey().key(String.format(
                                        "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-%012d", i)).at(t).build()
                                : CloudTrailFixtures.decrypt().at(t).build();
                        if (i % 20 == 0) {
                            sent.put(e.eventId(), System.nanoTime());
                        }
                        producer.send(new ProducerRecord<>(s.topics().kmsEvents().name(), null, t.toEpochMilli(),
                                e.partitionKey(), e.unsafeRawBytes()));
                    }
                }
                Thread.sleep(5000);
                stop.set(true);
                reader.join();
            }
            long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("latency guarantee=%s commit=%s detections=%d/%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n",
                    guarantee, commit, l.length, sent.size(), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6,
                    l[l.length - 1] / 1e6);
        }
    }

    /** -Dkafka.x=y system properties, passed to Streams as x=y (to try settings without editing code). */
    private static Map<String, String> extraKafka() {
        Map<String, String> m = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("kafka.")) {
                m.put(k.toString().substring(6), v.toString());
            }
        });
        return m;
    }

    private static double processed(SimpleMeterRegistry r) {
        return r.find("kmswatch.streams.events").counters().stream().mapToDouble(c -> c.count()).sum()
                + r.find("kmswatch.streams.duplicates").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** n decrypt-heavy records over 200 keys and 50 principals, 10 s of event time per 1,000 records. */
    private static void fill(EmbeddedKafkaBroker kafka, String topic, int n) throws Exception {
        String template = CloudTrailFixtures.decrypt().at(CloudTrailFixtures.T0).json();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        String eventId = CloudTrailEvent.parse(template).eventId();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String key = String.format("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-%012d", i % 200);
                Instant t = CloudTrailFixtures.T0.plusMillis(i * 10L);
                String json = template.replace(CloudTrailFixtures.KEY_ARN, key)
                        .replace(eventId, String.format("bench0000-0000-4000-8000-%012d", i))
                        .replace("\"" + CloudTrailFixtures.T0.toString().replace(".000", "") + "\"", "\"" + t.truncatedTo(
                                java.time.temporal.ChronoUnit.SECONDS) + "\"")
                        .replace("role/app", "role/app" + (i % 50));
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), key, json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static void copy(EmbeddedKafkaBroker kafka, String from, String to, int n) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "raw-copy");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(from));
            int copied = 0;
            while (copied < n) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(to, null, r.timestamp(), r.key(), r.value()));
                    copied++;
                }
            }
            producer.flush();
            consumer.commitSync(Map.of());
        }
    }
}
