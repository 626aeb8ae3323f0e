package io.kmswatch.bench;

import io.kmswatch.events.TopicSetup;
import io.kmswatch.streams.DetectApp;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.StreamsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
 * Detection throughput and latency of {@link DetectApp} (every detection on, the settings {@code kmswatch
 * detect} uses by default) on a broker, beside the broker's raw consume+produce rate of the same records.
 * Throughput runs drain a pre-filled {@code kms-events} backlog with a fresh application id each time;
 * latency runs feed a steady rate and time DisableKey events to their key-disabled detection.
 * {@code kmswatch bench --only detect} runs it.
 */
public final class DetectBenchmark {
    /** Event time of the first backlog record. */
    static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    private final String bootstrap;
    /** The detections every drain runs (the Sigma comparison swaps it). */
    private DetectionsConfig detections = DetectionsConfig.defaultConfig();
    private final Path workDir;
    private final Map<String, String> kafka;

    /**
     * @param bootstrap broker to run on
     * @param workDir   where state directories go
     * @param kafka     extra Kafka/Streams properties (empty: the product defaults)
     */
    public DetectBenchmark(String bootstrap, Path workDir, Map<String, String> kafka) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.kafka = Map.copyOf(kafka);
    }

    /**
     * Throughput of each guarantee and of the raw copy, interleaved runs over one backlog.
     *
     * @param eosFirstTenth seconds exactly-once took over the untimed first tenth of the backlog, from its first
     *                      record (group join, assignment, transactions starting)
     */
    /** The broker the benchmark runs on. */
    public String bootstrap() {
        return bootstrap;
    }

    public record Throughput(long events, int partitions, Measurement eos, Measurement alos, Measurement raw,
                             Duration warmUp, Measurement eosFirstTenth) {
        public double eosToRaw() {
            return eos.ratioTo(raw);
        }

        public double alosToRaw() {
            return alos.ratioTo(raw);
        }
    }

    /**
     * Fills a fresh backlog of {@code events} records and runs each of detect EOS, ALO and raw copy {@code runs} times,
     * interleaved, after warm-up passes ({@link #throughput(int, int, int, Duration)}); each drain is timed from the
     * first tenth of the backlog to its end ({@link SteadyRate}).
     */
    public Throughput throughput(int events, int partitions, int runs) {
        return throughput(events, partitions, runs, Duration.ofSeconds(60));
    }

    /**
     * {@link #throughput(int, int, int)}, warming up (unmeasured passes of all three) until the JIT compiler is
     * quiet or {@code maxWarmUp} has passed.
     */
    public Throughput throughput(int events, int partitions, int runs, Duration maxWarmUp) {
        Duration warmUp;
        String prefix = "tp" + shortId() + ".";
        String in = prefix + "kms-events";
        createTopics(partitions, in, prefix + "raw-copy", prefix + "kms-detections", prefix + "kms-events-rejected");
        fill(in, events, 200, 50);
        double[] eos = new double[runs];
        double[] alos = new double[runs];
        double[] raw = new double[runs];
        double[] eosFirstTenth = new double[runs];
        // unmeasured passes of each until the JIT compiler is quiet: the first runs in a JVM pay for class loading
        // and compilation, exactly-once's transactional paths included
        warmUp = WarmUp.untilJitQuiet(() -> {
            rawCopy(in, prefix + "raw-copy", events);
            detect(prefix, StreamsSettings.EXACTLY_ONCE_V2, events, 1);
            detect(prefix, StreamsSettings.AT_LEAST_ONCE, events, 1);
        }, 1, maxWarmUp);
        for (int i = 0; i < runs; i++) {
            raw[i] = rawCopy(in, prefix + "raw-copy", events);
            SteadyRate e = drain(prefix, StreamsSettings.EXACTLY_ONCE_V2, events, 1);
            eos[i] = e.perSecond();
            eosFirstTenth[i] = e.untimedSeconds();
            alos[i] = detect(prefix, StreamsSettings.AT_LEAST_ONCE, events, 1);
        }
        return new Throughput(events, partitions, Measurement.of("detect EOS", eos), Measurement.of("detect ALO", alos),
                Measurement.of("raw copy", raw), warmUp, Measurement.of("EOS first tenth, s", eosFirstTenth));
    }

    /** Exactly-once detection with users' Sigma rules beside the built-in detections, and without them. */
    public record Sigma(long events, Measurement builtinOnly, Measurement withRules) {
        public double ratio() {
            return withRules.ratioTo(builtinOnly);
        }
    }

    /**
     * {@link Sigma}: the same backlog drained alternately by the built-in detections alone and by them plus the
     * rules under {@code rulePaths}, after one unmeasured drain of each.
     */
    public Sigma sigma(int events, int partitions, int runs, List<String> rulePaths) {
        String prefix = "sg" + shortId() + ".";
        String in = prefix + "kms-events";
        createTopics(partitions, in, prefix + "kms-detections", prefix + "kms-events-rejected");
        fill(in, events, 200, 50);
        DetectionsConfig builtin = DetectionsConfig.defaultConfig();
        DetectionsConfig withRules = builtin.withSigma(io.kmswatch.streams.SigmaSettings.none().plus(rulePaths, false));
        double[] a = new double[runs];
        double[] b = new double[runs];
        try {
            for (int i = -1; i < runs; i++) {
                detections = builtin;
                double x = detect(prefix, StreamsSettings.EXACTLY_ONCE_V2, events, 1);
                detections = withRules;
                double y = detect(prefix, StreamsSettings.EXACTLY_ONCE_V2, events, 1);
                if (i >= 0) {
                    a[i] = x;
                    b[i] = y;
                }
            }
        } finally {
            detections = DetectionsConfig.defaultConfig();
        }
        return new Sigma(events, Measurement.of("built-in only", a), Measurement.of("built-in + rules", b));
    }

    /** Scaling: events/s of 1 and of {@code instances} detect instances sharing a 4-partition topic (EOS). */
    public record Scaling(long events, int partitions, Measurement one, Measurement many, int instances) {
    }

    public Scaling scaling(int events, int partitions, int instances, int runs) {
        String prefix = "sc" + shortId() + ".";
        String in = prefix + "kms-events";
        createTopics(partitions, in, prefix + "kms-detections", prefix + "kms-events-rejected");
        fill(in, events, 200, 50);
        double[] one = new double[runs];
        double[] many = new double[runs];
        for (int i = 0; i < runs; i++) {
            one[i] = detect(prefix, StreamsSettings.EXACTLY_ONCE_V2, events, 1);
            many[i] = detect(prefix, StreamsSettings.EXACTLY_ONCE_V2, events, instances);
        }
        return new Scaling(events, partitions, Measurement.of("1 instance", one),
                Measurement.of(instances + " instances", many), instances);
    }

    /**
     * Events/s of {@code instances} DetectApps (one application id, separate state directories) draining
     * the backlog under {@code prefix}, timed from the first tenth of it to the last record ({@link SteadyRate}: the
     * group join, task assignment and transaction start-up are not throughput).
     */
    double detect(String prefix, String guarantee, long events, int instances) {
        return drain(prefix, guarantee, events, instances).perSecond();
    }

    /** {@link #detect}'s drain, complete. */
    SteadyRate drain(String prefix, String guarantee, long events, int instances) {
        String appId = "bench-detect-" + shortId();
        List<DetectApp> apps = new ArrayList<>();
        List<SimpleMeterRegistry> registries = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                StreamsSettings s = StreamsSettings.of(bootstrap).withTopicPrefix(prefix).withApplicationId(appId)
                        .withProcessingGuarantee(guarantee).withKafka(kafka)
                        .withStateDir(workDir.resolve(appId + "-" + i));
                StreamsMetrics metrics = new StreamsMetrics();
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                metrics.bindTo(registry);
                registries.add(registry);
                DetectApp app = new DetectApp(s, detections, metrics);
                apps.add(app);
                app.start();
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            SteadyRate rate = new SteadyRate(events);
            double done = 0;
            while (!rate.observe((long) (done = processed(registries)), System.nanoTime())
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (done < events) {
                throw new BenchException("detect (" + guarantee + ", " + instances + " instances) processed only "
                        + (long) done + " of " + events + " events in 3 minutes");
            }
            return rate;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } finally {
            apps.forEach(a -> a.close(Duration.ofSeconds(30)));
        }
    }

    /** Records taken in by the detections: processed, duplicates, late and skipped all count as consumed. */
    static double processed(List<SimpleMeterRegistry> registries) {
        double n = 0;
        for (SimpleMeterRegistry r : registries) {
            for (String name : List.of("kmswatch.streams.events", "kmswatch.streams.duplicates", "kmswatch.streams.late",
                    "kmswatch.streams.records.skipped")) {
                n += r.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
            }
        }
        return n;
    }

    /**
     * Detection latency at a steady {@code rate} events/s for {@code duration}, after {@code warmUp} at the same
     * rate that is not timed (right after start-up the first transactions take seconds): every {@code every}-th event is
     * a DisableKey of a fresh key (fires key-disabled); latency runs from handing the event to the producer
     * to reading its detection with a read_committed consumer.
     */
    public Percentiles latency(String guarantee, int rate, Duration warmUp, Duration duration, int every) {
        String prefix = "lat" + shortId() + ".";
        createTopics(4, prefix + "kms-events", prefix + "kms-detections", prefix + "kms-events-rejected");
        String appId = "bench-latency-" + shortId();
        StreamsSettings s = StreamsSettings.of(bootstrap).withTopicPrefix(prefix).withApplicationId(appId)
                .withProcessingGuarantee(guarantee).withKafka(kafka).withStateDir(workDir.resolve(appId));
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        try (DetectApp app = new DetectApp(s, DetectionsConfig.defaultConfig(), new StreamsMetrics())) {
            app.start();
            if (!app.awaitRunning(Duration.ofSeconds(90))) {
                throw new BenchException("detect did not reach RUNNING (" + app.state() + ")");
            }
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, appId + "-reader");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            AtomicBoolean stop = new AtomicBoolean();
            var serde = s.topics().kmsDetections().valueSerde().deserializer();
            Thread reader = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(s.topics().kmsDetections().name()));
                    while (!stop.get()) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                            long now = System.nanoTime();
                            var d = serde.deserialize(r.topic(), r.value());
                            if (d.detection().equals("key-disabled")) {
                                for (String id : d.evidence()) {
                                    Long t = sent.remove(id);
                                    if (t != null) {
                                        latencies.add(now - t);
                                    }
                                }
                            }
                        }
                    }
                }
            }, "bench-latency-reader");
            reader.start();
            Thread.sleep(1000); // the reader joins its group before the first detection
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            String in = s.topics().kmsEvents().name();
            long warm = rate * warmUp.toSeconds();
            long total = warm + rate * duration.toSeconds();
            int fired = 0;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new ByteArraySerializer())) {
                long start = System.nanoTime();
                long interval = 1_000_000_000L / rate;
                for (long i = 0; i < total; i++) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // never spin: the cores are shared with the detections
                    }
                    Instant t = Instant.now();
                    String key = BenchEvents.keyArn(i % 200);
                    byte[] value;
                    if (i % every == 0) {
                        key = BenchEvents.keyArn(1_000_000 + i);
                        value = BenchEvents.disableKey(i, key, i % 50, t);
                        if (i >= warm) { // the first seconds after start-up are not the steady state
                            sent.put(BenchEvents.eventId(i), System.nanoTime());
                            fired++;
                        }
                    } else {
                        value = BenchEvents.decrypt(i, key, i % 50, t);
                    }
                    producer.send(new ProducerRecord<>(in, null, t.toEpochMilli(), key, value));
                }
            }
            long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (latencies.size() < fired && System.nanoTime() < waitUntil) {
                Thread.sleep(50);
            }
            stop.set(true);
            reader.join();
            long[] l;
            synchronized (latencies) {
                l = latencies.stream().mapToLong(Long::longValue).toArray();
            }
            writeLog(latencyLog(guarantee), l);
            // a detection that never arrived counts as the longest wait, not as a missing sample
            long[] all = java.util.Arrays.copyOf(l, fired);
            for (int i = l.length; i < fired; i++) {
                all[i] = Long.MAX_VALUE / 2;
            }
            return Percentiles.ofNanos(all);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** Where {@link #latency} writes the run's latencies (ms, in arrival order). */
    public Path latencyLog(String guarantee) {
        return workDir.resolve("latency-" + guarantee + ".txt");
    }

    private static void writeLog(Path file, long[] nanos) {
        StringBuilder sb = new StringBuilder();
        for (long n : nanos) {
            sb.append(String.format("%.1f%n", n / 1e6));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code n} decrypt records over {@code keys} keys and {@code principals} roles, 10 s of event time per
     * 1,000 records, keyed by key ARN and lz4-compressed as ingest writes kms-events.
     */
    void fill(String topic, long n, int keys, int principals) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"); // as ingest writes kms-events
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < n; i++) {
                String key = BenchEvents.keyArn(i % keys);
                Instant t = T0.plusMillis(i * 10);
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), key,
                        BenchEvents.decrypt(i, key, i % principals, t)));
            }
            producer.flush();
        }
    }

    /** Plain consume+produce copy of {@code n} records (new group each time): records/s, timed as detect is. */
    double rawCopy(String from, String to, long n) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "raw-copy-" + shortId());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                     new ByteArraySerializer())) {
            consumer.subscribe(List.of(from));
            long copied = 0;
            SteadyRate rate = new SteadyRate(n); // timed like detect, from the same share of the backlog
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (copied < n) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException("raw copy moved only " + copied + " of " + n + " records in 3 minutes");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(to, null, r.timestamp(), r.key(), r.value()));
                    rate.observe(++copied, System.nanoTime());
                }
            }
            producer.flush();
            rate.end(System.nanoTime());
            consumer.commitSync(Map.of());
            return rate.perSecond();
        }
    }

    void createTopics(int partitions, String... names) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (String n : names) {
            topics.add(new org.apache.kafka.clients.admin.NewTopic(n, partitions, (short) 1));
        }
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            TopicSetup.ensure(admin, topics, Duration.ofSeconds(60));
        } catch (TopicSetup.TopicSetupException e) {
            throw new BenchException("cannot create topics: " + e.getMessage(), e);
        }
    }

    static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    public static Path tempDir(String name) {
        try {
            return Files.createTempDirectory(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
