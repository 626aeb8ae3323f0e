package io.kmswatch.bench;

import com.sun.net.httpserver.HttpServer;
import io.kmswatch.alerts.AlertsApp;
import io.kmswatch.alerts.AlertsAppSettings;
import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.broker.BrokerConfig;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.emulator.traffic.TrafficConfig;
import io.kmswatch.emulator.traffic.TrafficGenerator;
import io.kmswatch.emulator.traffic.TrafficProfile;
import io.kmswatch.emulator.traffic.TrafficShape;
import io.kmswatch.emulator.traffic.TrafficWorld;
import io.kmswatch.events.Json;
import io.kmswatch.events.config.ConfigYaml;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.ingest.feed.EmulatorFeed;
import io.kmswatch.streams.DetectApp;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RuleSettings;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.StreamsSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The soak's process (a child JVM, so that its RSS is its own): what {@code kmswatch demo} runs, in one JVM —
 * an embedded broker, the KMS emulator with the simulated organisation and its traffic (incidents every 30 s of
 * real time, the clock at 60x) at a fixed rate, the emulator feed onto {@code kms-events}, the detections
 * (exactly-once) and the alert manager — plus a probe: every {@code probeMillis} a {@code DisableKey} of a fresh
 * key, timed from the call until its {@code key-disabled} alert reaches a webhook receiver (the end-to-end latency).
 *
 * <p>At the end of each interval it prints {@code soak-interval {json}}: its RSS (VmRSS and VmHWM), the heap after a
 * full collection, the state directories' size on disk, the interval's probe latencies and the cumulative counters.
 * At the end it stops the traffic and the probes, lets the pipeline drain, counts the records on {@code kms-events}
 * (read_committed) and prints {@code soak-result {json}}. Arguments: work directory, seconds, interval seconds,
 * calls/s, probe interval in milliseconds.
 */
public final class SoakChild {
    private static final String REGION = "us-east-1";

    private SoakChild() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
        Duration interval = Duration.ofSeconds(Long.parseLong(args[2]));
        double rate = Double.parseDouble(args[3]);
        long probeMillis = Long.parseLong(args[4]);
        double clockSpeed = 60;
        Path state = work.resolve("state");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        AtomicLong probeCalls = new AtomicLong();
        AtomicLong probeErrors = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> probeError = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicBoolean stopProbes = new AtomicBoolean();
        List<AutoCloseable> open = new ArrayList<>();
        int exit = 0;
        try {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder().dataDir(work.resolve("broker")).build());
            open.add(0, broker);
            String bootstrap = broker.bootstrapServers();
            HttpServer receiver = SourceLatencyBenchmark.receiver(arrivals);
            open.add(0, () -> receiver.stop(0));

            DetectApp detect = new DetectApp(new StreamsSettings(bootstrap, "kmswatch-detect", StreamsSettings.EXACTLY_ONCE_V2,
                    null, null, state.resolve("kmswatch-detect"), Map.of(), "", 4, 1), detections(TrafficProfile.defaults()),
                    metrics(registry));
            open.add(0, detect);
            detect.start();
            if (!detect.awaitRunning(Duration.ofSeconds(120))) {
                throw new BenchException("the detections did not reach RUNNING (" + detect.state() + ")");
            }
            AlertsConfig alerts = ConfigYaml.mapper().readValue("defaultSinks: [hook]\nsinks:\n  hook: {type: webhook, url: "
                    + "\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/\"}\n", AlertsConfig.class);
            AlertsAppSettings alertsSettings = AlertsAppSettings.of(bootstrap).withApplicationId("kmswatch-alerts")
                    .withStateDir(state.resolve("kmswatch-alerts"));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                AlertsApp.createTopics(admin, alertsSettings.topics(), 4);
            }
            open.add(0, AlertsApp.start(alertsSettings, alerts, registry));

            // as demo: traffic for the whole run (and a minute more), incidents every 30 s of real time; the flat
            // shape, so that the load is the given calls/s all along rather than following the emulator's time of day
            TrafficConfig traffic = new TrafficConfig(1L, rate, scaled(duration.plusMinutes(1), clockSpeed), clockSpeed,
                    null, null, List.of("all"), scaled(Duration.ofSeconds(30), clockSpeed), null, work.resolve("labels.jsonl"),
                    TrafficShape.FLAT);
            KmsEmulator emulator = KmsEmulator.start(TrafficGenerator.emulatorConfig(traffic,
                    EmulatorConfig.defaults().withPort(0).withBind("127.0.0.1")));
            open.add(0, emulator);
            emulator.metrics().bindTo(registry);
            IngestConfig ingest = new IngestConfig("", null, true, 4, null, Map.of("bootstrap.servers", bootstrap),
                    SourcesConfig.none());
            EmulatorFeed feed = IngestService.emulatorFeed(ingest, Map.of(), registry);
            open.add(0, feed);
            emulator.addListener(feed);
            TrafficGenerator generator = new TrafficGenerator(traffic, emulator, label -> { });
            open.add(0, generator);
            generator.metrics().bindTo(registry);
            Thread trafficThread = new Thread(() -> {
                try {
                    generator.run();
                } catch (RuntimeException e) {
                    System.err.println("soak: traffic stopped: " + e);
                }
            }, "soak-traffic");
            trafficThread.setDaemon(true);
            trafficThread.start();

            // the probe calls as the world's staging administrator (the world replaces the emulator's default
            // accounts): its own fresh key in the staging account each time
            TrafficWorld.Principal admin = generator.world().principal(TrafficWorld.STAGING_ADMIN);
            KmsClient kms = KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            admin.accessKeyId(), admin.secretAccessKey())))
                    .httpClient(UrlConnectionHttpClient.create()).build();
            open.add(0, kms);
            Thread probes = new Thread(() -> {
                long next = System.nanoTime();
                while (!stopProbes.get()) {
                    try {
                        String arn = kms.createKey().keyMetadata().arn();
                        probeCalls.incrementAndGet();
                        sent.put(arn, System.nanoTime());
                        kms.disableKey(r -> r.keyId(arn));
                        probeCalls.incrementAndGet();
                    } catch (RuntimeException e) {
                        probeErrors.incrementAndGet();
                        probeError.compareAndSet(null, e.toString());
                        System.err.println("soak: probe failed: " + e);
                    }
                    next += probeMillis * 1_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }, "soak-probes");
            probes.setDaemon(true);
            probes.start();
            System.out.println("soak-ready");
            System.out.flush();

            long start = System.nanoTime();
            long pendingProbesAtEnd;
            for (int i = 1; (long) i * interval.toNanos() <= duration.toNanos(); i++) {
                long until = start + i * interval.toNanos();
                while (System.nanoTime() < until) {
                    Thread.sleep(Math.max(1, Math.min(1000, (until - System.nanoTime()) / 1_000_000)));
                }
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("minute", Math.round(i * interval.toSeconds() / 6.0) / 10.0);
                line.putAll(memory());
                line.put("stateDiskMiB", mib(CardinalityBenchmark.directorySize(state)));
                // the alerts that arrived, and the probes still waiting for theirs for over 5 s at their wait so far (a
                // lower bound): a stalled pipeline shows as a high p99, not as an interval without samples
                long[] done = arrived(sent, arrivals);
                long now = System.nanoTime();
                long[] waiting = sent.values().stream().mapToLong(t -> now - t).filter(w -> w > 5_000_000_000L).toArray();
                long[] all = java.util.Arrays.copyOf(done, done.length + waiting.length);
                System.arraycopy(waiting, 0, all, done.length, waiting.length);
                Percentiles p = Percentiles.ofNanos(all);
                line.put("latencyP99Ms", BenchCommand.round(p.p99()));
                line.put("latencyP50Ms", BenchCommand.round(p.p50()));
                line.put("latencySamples", p.samples());
                line.put("latencyPending", sent.size());
                line.putAll(counters(registry, probeCalls.get()));
                line.put("probeErrors", probeErrors.get());
                if (probeError.get() != null) {
                    line.put("firstProbeError", probeError.get());
                }
                System.out.println("soak-interval " + Json.MAPPER.writeValueAsString(line));
                System.out.flush();
            }

            // every call accounted for: stop the calls, let the pipeline drain, count
            generator.close();
            stopProbes.set(true);
            trafficThread.join(60_000);
            probes.join(60_000);
            long drainStart = System.nanoTime();
            String last = "";
            long stableSince = System.nanoTime();
            // drained: the feed has produced every trail record, the detections have taken every one in and the
            // probes' alerts have arrived, and nothing moved for 2 s; or nothing moved for 15 s (something is lost)
            while (System.nanoTime() - drainStart < Duration.ofMinutes(3).toNanos()) {
                arrived(sent, arrivals); // late probe alerts still count as arrived (not as interval samples)
                Map<String, Object> c = counters(registry, probeCalls.get());
                String now = c + "|" + sent.size();
                if (!now.equals(last)) {
                    last = now;
                    stableSince = System.nanoTime();
                }
                long still = System.nanoTime() - stableSince;
                boolean caughtUp = c.get("feedProduced").equals(c.get("trailRecords")) && sent.isEmpty()
                        && (long) c.get("detectEvents") + (long) c.get("detectDuplicates") + (long) c.get("detectLate")
                        + (long) c.get("detectSkipped") >= (long) c.get("feedProduced");
                if (still > Duration.ofSeconds(caughtUp ? 2 : 15).toNanos()) {
                    break;
                }
                Thread.sleep(250);
            }
            pendingProbesAtEnd = sent.size();
            Map<String, Object> result = new LinkedHashMap<>(counters(registry, probeCalls.get()));
            result.put("kmsEventsRecords", countRecords(bootstrap, ingest.topics().kmsEvents().name()));
            result.put("probesWithoutAlert", pendingProbesAtEnd);
            result.put("probeErrors", probeErrors.get());
            result.put("drainSeconds", BenchCommand.round((System.nanoTime() - drainStart) / 1e9));
            System.out.println("soak-result " + Json.MAPPER.writeValueAsString(result));
            System.out.flush();
        } catch (Exception e) {
            System.err.println("soak failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            stopProbes.set(true);
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("soak: closing: " + e);
                }
            }
        }
        System.exit(exit);
    }

    /** The latencies of the probes whose alert has arrived since the last call (their entries removed). */
    private static long[] arrived(Map<String, Long> sent, Map<String, Long> arrivals) {
        List<Long> l = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = sent.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            Long at = arrivals.remove(e.getKey());
            if (at != null) {
                l.add(at - e.getValue());
                it.remove();
            }
        }
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private static StreamsMetrics metrics(MeterRegistry registry) {
        StreamsMetrics m = new StreamsMetrics();
        m.bindTo(registry);
        return m;
    }

    /**
     * The detections as {@code demo} configures them for the simulated organisation (app's
     * {@code SimulatedOrganisation}, which bench cannot reach): the world's accounts trusted, keys tagged for a
     * planned retirement sanctioned, the novelty baselines learning for the traffic's hour of warm-up.
     */
    static DetectionsConfig detections(TrafficProfile profile) {
        TrafficProfile.Accounts a = profile.accounts();
        DetectionsConfig d = DetectionsConfig.defaultConfig();
        RuleSettings learn = new RuleSettings(null, null, null, null, null, null, Duration.ofHours(1), null);
        return new DetectionsConfig(List.of(a.production(), a.staging(), a.security(), a.partner()),
                d.trustedPrincipals(), Map.of("kmswatch:planned-retirement", "true"), d.awsServiceAllowances(),
                d.plannedRetirements(), d.grace(), d.dedupRetention(),
                Map.of("new-source-ip", learn, "new-principal-on-key", learn, "cross-account-key-use", learn),
                d.sigma());
    }

    /** RSS now and at its peak (from /proc/self/status), and the heap in use after a full collection, MiB. */
    private static Map<String, Object> memory() {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] rss = {0, 0};
        MemoryBenchmark.sample(ProcessHandle.current().pid(), rss);
        m.put("rssMiB", mib(rss[1] * 1024));
        m.put("peakRssMiB", mib(rss[0] * 1024));
        System.gc();
        m.put("heapAfterGcMiB", mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        return m;
    }

    /** The cumulative counters the accounting needs. */
    static Map<String, Object> counters(MeterRegistry registry, long probeCalls) {
        Map<String, Object> c = new LinkedHashMap<>();
        long traffic = Math.round(sum(registry, "kmswatch.traffic.calls"));
        c.put("callsMade", traffic + probeCalls);
        c.put("trafficCalls", traffic);
        c.put("probeCalls", probeCalls);
        c.put("emulatorRequests", Math.round(sum(registry, "kmswatch.emulator.requests")));
        c.put("trailRecords", Math.round(sum(registry, "kmswatch.emulator.trail.records")));
        c.put("feedProduced", Math.round(sum(registry, "kmswatch.ingest.records.produced")));
        c.put("feedRejected", Math.round(sum(registry, "kmswatch.ingest.records.rejected")));
        c.put("detectEvents", Math.round(sum(registry, "kmswatch.streams.events")));
        c.put("detectDuplicates", Math.round(sum(registry, "kmswatch.streams.duplicates")));
        c.put("detectLate", Math.round(sum(registry, "kmswatch.streams.late")));
        c.put("detectSkipped", Math.round(sum(registry, "kmswatch.streams.records.skipped")));
        c.put("detections", Math.round(sum(registry, "kmswatch.streams.detections")));
        c.put("alertsEmitted", Math.round(sum(registry, "kmswatch.alerts.emitted")));
        return c;
    }

    private static double sum(MeterRegistry registry, String name) {
        double n = 0;
        for (Counter c : registry.find(name).counters()) {
            n += c.count();
        }
        for (FunctionCounter c : registry.find(name).functionCounters()) {
            n += c.count();
        }
        return n;
    }

    /** Records on {@code topic} a read_committed consumer sees (what the detections read). */
    static long countRecords(String bootstrap, String topic) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException("could not read " + topic + " to its end in 5 minutes");
                }
                n += consumer.poll(Duration.ofMillis(500)).count();
            }
            return n;
        }
    }

    private static Duration scaled(Duration real, double speed) {
        return Duration.ofMillis(Math.max(1, Math.round(real.toMillis() * speed)));
    }

    private static double mib(long bytes) {
        return BenchCommand.round(bytes / 1024.0 / 1024.0);
    }
}
