package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.traffic.TrafficProfile;
import io.kmswatch.emulator.traffic.TrafficWorld;
import io.kmswatch.events.SecretScanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch demo}, run as a user runs it (the built jar in its own JVM) with every logger at DEBUG (the
 * shipped log4j2.xml plus an override that turns the root to DEBUG, and {@code KMSWATCH_LOG_LEVEL=DEBUG}): no
 * secret the run handled appears in its output (stdout and stderr), in any record of any Kafka topic, or in
 * {@code /metrics}. The secrets are known exactly: the simulated identities' secret access keys follow from the
 * seed, and the demo's hidden {@code --record-plaintexts} writes every plaintext its clients sent or received
 * (data keys, Decrypt outputs, Encrypt inputs, imported key material) to a side file. Also checks that the demo
 * listens on loopback only by default.
 */
@Tag("system")
class SecretLeakIT {
    private static final Path JAR = Path.of(System.getProperty("kmswatch.jar", "target/kmswatch.jar")).toAbsolutePath();
    private static final long SEED = 7;
    private static final Pattern EMULATOR = Pattern.compile("KMS emulator\\s+(http://\\S+)");
    private static final Pattern KAFKA = Pattern.compile("Kafka\\s+(\\S+:\\d+)");
    private static final Pattern METRICS = Pattern.compile("metrics\\s+(http://\\S+/metrics)");

    @Test
    void shouldKeepEverySecretOfADebugDemoOutOfItsLogsRecordsAndMetrics(@TempDir Path dir) throws Exception {
        Path override = dir.resolve("debug-root.xml");
        Files.writeString(override, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Loggers>
                    <Root level="DEBUG"/>
                  </Loggers>
                </Configuration>
                """);
        Path plaintexts = dir.resolve("plaintexts.hex");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-Dlog4j2.configurationFile=classpath:log4j2.xml," + override.toUri(),
                "-jar", JAR.toString(), "demo", "--duration", "60s", "--seed", Long.toString(SEED),
                "--metrics-port", "0", "--emulator-port", "0", "--status-every", "5s",
                "--scenarios", "key-material-deleted,credential-compromise,external-key-encryption",
                "--incident-every", "15s", "--record-plaintexts", plaintexts.toString())
                .redirectError(dir.resolve("demo.err").toFile());
        pb.environment().put("KMSWATCH_LOG_LEVEL", "DEBUG");
        Process demo = pb.start();

        List<String> out = Collections.synchronizedList(new ArrayList<>());
        List<String> scrapes = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> emulatorUrl = new CompletableFuture<>();
        CompletableFuture<String> bootstrap = new CompletableFuture<>();
        CompletableFuture<String> metricsUrl = new CompletableFuture<>();
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStdout(demo, out, scrapes, emulatorUrl, bootstrap, metricsUrl, stopping));
        reader.start();

        Map<String, List<String>> records;
        URI emulator;
        URI metrics;
        try (RecordCollector collector = new RecordCollector(bootstrap.get(3, TimeUnit.MINUTES))) {
            emulator = URI.create(emulatorUrl.get(1, TimeUnit.MINUTES));
            metrics = URI.create(metricsUrl.get(1, TimeUnit.MINUTES));
            assertLoopbackOnly(emulator.getPort(), metrics.getPort());
            stopping.get(3, TimeUnit.MINUTES);
            // The broker stops with the demo: read until the process is gone.
            demo.waitFor(2, TimeUnit.MINUTES);
            collector.stop();
            records = collector.records();
        } finally {
            if (!demo.waitFor(2, TimeUnit.MINUTES)) {
                demo.destroyForcibly();
            }
            reader.join(10_000);
        }
        assertThat(demo.exitValue()).as("demo exit code").isZero();
        List<String> err = Files.readAllLines(dir.resolve("demo.err"));

        SecretScanner secrets = new SecretScanner();
        for (TrafficWorld.Principal p : TrafficWorld.create(TrafficProfile.defaults(), SEED).principals()) {
            secrets.addText("secret access key of " + p.name(), p.secretAccessKey());
        }
        secrets.addText("secret access key of the default admin", EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY);
        List<String> recorded = Files.readAllLines(plaintexts);
        for (String hex : recorded) {
            secrets.addBytes("plaintext of the simulated organisation", HexFormat.of().parseHex(hex));
        }

        // What the run must have produced for the scan to mean something.
        assertThat(emulator.getHost()).isEqualTo("127.0.0.1");
        assertThat(metrics.getHost()).isEqualTo("127.0.0.1");
        assertThat(err).noneMatch(l -> l.contains("not a loopback address"));
        assertThat(recorded.size()).as("plaintexts recorded").isGreaterThan(100);
        assertThat(err.stream().filter(l -> l.contains(" DEBUG ")).count()).as("DEBUG lines").isGreaterThan(1000);
        assertThat(records).containsKeys("kms-events", "kms-detections");
        assertThat(records.get("kms-events").size()).as("kms-events records").isGreaterThan(100);
        assertThat(scrapes.size()).as("metrics scrapes").isGreaterThanOrEqualTo(3);
        assertThat(scrapes.get(scrapes.size() - 1)).contains("kmswatch_emulator_requests_total");

        List<String> findings = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            findings.addAll(secrets.scan("stdout line " + (i + 1), out.get(i)));
        }
        for (int i = 0; i < err.size(); i++) {
            findings.addAll(secrets.scan("stderr line " + (i + 1), err.get(i)));
        }
        records.forEach((topic, values) -> {
            for (int i = 0; i < values.size(); i++) {
                findings.addAll(secrets.scan("topic " + topic + " record " + i, values.get(i)));
            }
        });
        for (int i = 0; i < scrapes.size(); i++) {
            findings.addAll(secrets.scan("metrics scrape " + i, scrapes.get(i)));
        }
        System.out.printf("scanned %d stdout and %d stderr lines, %d records on %d topics, %d scrapes for %d secrets%n",
                out.size(), err.size(), records.values().stream().mapToInt(List::size).sum(), records.size(),
                scrapes.size(), secrets.size());
        assertThat(findings).as("secrets in the demo's output, records and metrics").isEmpty();
    }

    private static void readStdout(Process demo, List<String> out, List<String> scrapes,
                                   CompletableFuture<String> emulatorUrl, CompletableFuture<String> bootstrap,
                                   CompletableFuture<String> metricsUrl, CompletableFuture<Void> stopping) {
        HttpClient http = HttpClient.newHttpClient();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
                complete(EMULATOR.matcher(line), emulatorUrl);
                complete(KAFKA.matcher(line), bootstrap);
                complete(METRICS.matcher(line), metricsUrl);
                if (line.startsWith("[status]") && metricsUrl.isDone()) {
                    scrapes.add(http.send(HttpRequest.newBuilder(URI.create(metricsUrl.join()))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
                }
                if (line.startsWith("kmswatch demo: stopping")) {
                    stopping.complete(null);
                }
            }
        } catch (Exception e) {
            out.add("reader failed: " + e);
        } finally {
            stopping.complete(null);
            IllegalStateException ended = new IllegalStateException("the demo ended before printing it");
            emulatorUrl.completeExceptionally(ended);
            bootstrap.completeExceptionally(ended);
            metricsUrl.completeExceptionally(ended);
        }
    }

    private static void complete(Matcher m, CompletableFuture<String> value) {
        if (!value.isDone() && m.find()) {
            value.complete(m.group(1));
        }
    }

    /** Nothing listens on this host's other addresses: connecting through them is refused. */
    private static void assertLoopbackOnly(int... ports) throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
                    continue;
                }
                for (int port : ports) {
                    assertThatExceptionOfType(ConnectException.class).as("port %d through %s", port, a)
                            .isThrownBy(() -> {
                                try (Socket s = new Socket()) {
                                    s.connect(new InetSocketAddress(a, port), 2_000);
                                }
                            });
                }
            }
        }
    }

    /**
     * Reads every record of every (non-internal) topic from the beginning while the demo runs, topics created
     * later included, as ISO-8859-1 text so that both encoded and raw secrets show.
     */
    private static final class RecordCollector implements AutoCloseable {
        private final Map<String, List<String>> records = new TreeMap<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        RecordCollector(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "secret-leak-scan");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(Pattern.compile(".*"));
            thread = new Thread(this::run, "secret-leak-scan-consumer");
            thread.start();
        }

        private void run() {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    StringBuilder text = new StringBuilder();
                    text.append(latin1(r.key())).append('\n').append(latin1(r.value()));
                    for (Header h : r.headers()) {
                        text.append('\n').append(h.key()).append('=').append(latin1(h.value()));
                    }
                    synchronized (records) {
                        records.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(text.toString());
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(30_000);
        }

        Map<String, List<String>> records() {
            synchronized (records) {
                Map<String, List<String>> copy = new TreeMap<>();
                records.forEach((k, v) -> copy.put(k, List.copyOf(v)));
                return copy;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(30_000);
            consumer.close(Duration.ofSeconds(2));
        }

        private static String latin1(byte[] bytes) {
            return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
