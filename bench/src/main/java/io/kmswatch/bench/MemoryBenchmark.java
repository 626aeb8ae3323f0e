package io.kmswatch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Peak resident memory (VmHWM of /proc/&lt;pid&gt;/status) of kmswatch processes run as child JVMs from the
 * built jar, with the JVM options the {@code kmswatch} script uses by default (none: the JVM sizes its heap
 * from the machine).
 */
public final class MemoryBenchmark {
    /** Peak and final RSS of one child, MiB. */
    public record Rss(double peakMiB, double lastMiB, double idleMiB, double liveHeapMiB, Duration ran, String how) {
    }

    private MemoryBenchmark() {
    }

    /** Runs {@code kmswatch demo --duration <duration>} from {@code jar} and samples its RSS every second. */
    public static Rss demo(Duration duration, Path workDir, Path jar) {
        List<String> cmd = java();
        cmd.addAll(List.of("-jar", jar.toString(), "demo", "--duration", duration.toSeconds() + "s",
                "--metrics-port", "0", "--emulator-port", "0"));
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("demo.log").toFile()).start();
            long start = System.nanoTime();
            long[] peak = {0, 0};
            long deadline = start + duration.plusMinutes(2).toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                sample(p.pid(), peak);
                Thread.sleep(1000);
            }
            if (p.isAlive()) {
                p.destroy();
                throw new BenchException("demo did not stop after --duration " + duration + " (log " + workDir.resolve("demo.log") + ")");
            }
            if (p.exitValue() != 0) {
                throw new BenchException("demo exited with " + p.exitValue() + " (log " + workDir.resolve("demo.log") + ")");
            }
            return new Rss(peak[0] / 1024.0, peak[1] / 1024.0, 0, 0, Duration.ofNanos(System.nanoTime() - start),
                    "kmswatch demo --duration " + duration.toSeconds() + "s (embedded broker, emulator, traffic with incidents, "
                            + "detections, alerts, all in one JVM)");
        } catch (IOException e) {
            throw new BenchException("cannot run demo: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /**
     * A child JVM running the detections ({@link DetectStateChild}, exactly-once, defaults) fed {@code events}
     * Decrypt records over {@code keys} keys and {@code principals} roles (record i: role i mod principals, key
     * i mod keys, event time T0 + i × one hour ÷ events), sampled until it has processed them all and for
     * 10 s after.
     */
    public static Rss detectState(String bootstrap, int keys, int principals, int events, Path workDir, Path jar) {
        String prefix = "mem" + DetectBenchmark.shortId() + ".";
        List<String> cmd = javaForDetect();
        cmd.addAll(List.of("-cp", jar.toString(), DetectStateChild.class.getName(), bootstrap, prefix,
                workDir.resolve("detect-state").toString()));
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(workDir.resolve("detect.log").toFile())
                    .start();
            AtomicLong processed = new AtomicLong(-1);
            AtomicLong heap = new AtomicLong(-1);
            Thread out = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("processed ")) {
                            processed.set(Long.parseLong(line.substring(10).trim()));
                        } else if (line.startsWith("heap ")) {
                            heap.set(Long.parseLong(line.substring(5).trim()));
                        }
                    }
                } catch (IOException e) {
                    // the child ended; the loop below notices
                }
            }, "bench-detect-child");
            out.setDaemon(true);
            out.start();
            long start = System.nanoTime();
            long[] peak = {0, 0};
            long deadline = start + Duration.ofMinutes(5).toNanos();
            while (processed.get() < 0 && p.isAlive() && System.nanoTime() < deadline) {
                sample(p.pid(), peak);
                Thread.sleep(200);
            }
            sample(p.pid(), peak);
            long idle = peak[1]; // RSS of a running detect with empty state
            feed(bootstrap, prefix + "kms-events", keys, principals, events, p, peak);
            while (processed.get() < events && p.isAlive() && System.nanoTime() < deadline) {
                sample(p.pid(), peak);
                Thread.sleep(500);
            }
            if (processed.get() < events) {
                p.destroy();
                throw new BenchException("detect child processed " + processed.get() + " of " + events
                        + " events (log " + workDir.resolve("detect.log") + ")");
            }
            for (int i = 0; i < 10; i++) {
                sample(p.pid(), peak);
                Thread.sleep(1000);
            }
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            for (int i = 0; i < 100 && heap.get() < 0; i++) {
                Thread.sleep(100);
            }
            p.destroy();
            p.waitFor();
            return new Rss(peak[0] / 1024.0, peak[1] / 1024.0, idle / 1024.0, heap.get() / 1024.0 / 1024.0, Duration.ofNanos(System.nanoTime() - start),
                    "child JVM running DetectApp (exactly-once, every detection) fed " + events + " Decrypt records over "
                            + keys + " keys and " + principals + " roles, one hour of event time");
        } catch (IOException e) {
            throw new BenchException("cannot run the detect child: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private static void feed(String bootstrap, String topic, int keys, int principals, int events, Process child,
                             long[] peak) {
        java.util.Properties p = new java.util.Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        long step = Duration.ofHours(1).toMillis() * 1000 / events; // micros of event time per record
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                String key = BenchEvents.keyArn(i % keys);
                Instant t = DetectBenchmark.T0.plusNanos(i * step * 1000);
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), key,
                        BenchEvents.decrypt(i, key, i % principals, t)));
                if (i % 20_000 == 0) {
                    sample(child.pid(), peak);
                }
            }
            producer.flush();
        }
    }

    /** Updates {peak VmHWM, last VmRSS} in KiB from /proc; a vanished process changes nothing. */
    static void sample(long pid, long[] peak) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peak[0] = Math.max(peak[0], kib(line));
                } else if (line.startsWith("VmRSS:")) {
                    peak[1] = kib(line);
                }
            }
        } catch (IOException e) {
            // the process has just exited: its last sample stands
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The heap cap the {@code kmswatch} script gives the JVM when {@code KMSWATCH_JAVA_OPTS} is not set. */
    static final String SCRIPT_DEFAULT_OPTS = "-Xmx768m";
    /** The heap cap the script gives {@code kmswatch detect} (its state is in RocksDB, off the heap). */
    static final String SCRIPT_DETECT_OPTS = "-Xmx512m";

    /** A java command with the JVM options the {@code kmswatch} script would use: what a user's process runs with. */
    static List<String> java() {
        return java(SCRIPT_DEFAULT_OPTS);
    }

    /** {@link #java()} for a {@code kmswatch detect} process. */
    static List<String> javaForDetect() {
        return java(SCRIPT_DETECT_OPTS);
    }

    private static List<String> java(String defaults) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv("KMSWATCH_JAVA_OPTS");
        cmd.addAll(List.of((opts != null && !opts.isBlank() ? opts : defaults).trim().split("\\s+")));
        return cmd;
    }

    /**
     * The jar {@code type} was loaded from.
     *
     * @throws BenchException when it was loaded from a directory (a build tree), not a jar
     */
    public static Path jarOf(Class<?> type) {
        try {
            Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p)) {
                throw new BenchException("the memory benchmarks need the built jar (run from app/target/kmswatch.jar), not " + p);
            }
            return p.toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new BenchException("cannot locate the kmswatch jar", e);
        }
    }
}
