package io.kmswatch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How the detections' cost grows with the number of keys and principals: for each point, a child JVM
 * ({@link DetectStateChild}: exactly-once, every detection on, the heap cap of the {@code kmswatch} script) drains
 * a {@code kms-events} backlog of Decrypt records over that many keys and roles, and the benchmark reports its
 * events/s, the peak RSS of the child (VmHWM: the detect process's own) and the size of its state directory.
 *
 * <p>Steady state: the backlog passes over every key and principal {@value #PASSES} times (record {@code i}: key
 * {@code i mod keys}, role {@code i mod principals}, event time advancing one hour per pass), and only the last
 * pass is timed ({@link SteadyRate} skipping the first passes), so the timed part runs against state that already
 * holds every key and principal.
 */
public final class CardinalityBenchmark {
    /** Passes over every principal; the last one is timed. */
    static final int PASSES = 2;

    /** A point of the curve: keys and principals. */
    public record Point(int keys, int principals) {
        public Point {
            if (keys < 1 || principals < 1) {
                throw new IllegalArgumentException("keys and principals must be >= 1: " + keys + "/" + principals);
            }
        }

        /** Records in the backlog: {@value #PASSES} passes over every key and principal, at least {@code minEvents}. */
        long events(long minEvents) {
            long perPass = Math.max(Math.max(keys, principals), (minEvents + PASSES - 1) / PASSES);
            return perPass * PASSES;
        }
    }

    /** The points of the issue: 1k/10k, 10k/100k, 100k/1M, 1M/10M keys/principals. */
    public static final List<Point> POINTS = List.of(new Point(1_000, 10_000), new Point(10_000, 100_000),
            new Point(100_000, 1_000_000), new Point(1_000_000, 10_000_000));

    /**
     * One measured point; {@code error} non-null when it could not be measured (the figures 0) or did not finish
     * in time ({@link #incomplete()}: the figures are over what it did).
     *
     * @param eventsPerSec events/s over the timed (last) pass
     * @param peakRssMiB   VmHWM of the detect child
     * @param stateDiskMiB its state directory once drained (RocksDB files, checkpoints)
     */
    public record Result(int keys, int principals, long events, double eventsPerSec, double peakRssMiB,
                         double stateDiskMiB, double drainSeconds, String error) {
        /** Ran out of time: its figures are over the part it processed. */
        public boolean incomplete() {
            return error != null && error.startsWith("incomplete");
        }

        /** Has figures: complete, or incomplete with a rate. */
        public boolean measured() {
            return error == null || incomplete();
        }
    }

    private final String bootstrap;
    private final Path workDir;
    private final String classPath;
    private final long minEvents;
    private final long reportMillis;

    /**
     * @param classPath    what the child JVM runs from: the application jar, or (in tests) this JVM's class path
     * @param minEvents    fewest records per backlog (small points are too quick to time otherwise)
     * @param reportMillis how often the child reports its progress (the timing's resolution)
     */
    public CardinalityBenchmark(String bootstrap, Path workDir, String classPath, long minEvents, long reportMillis) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.classPath = classPath;
        this.minEvents = minEvents;
        this.reportMillis = reportMillis;
    }

    /** Measures each point in turn; a point that fails is reported with its error and the next one runs. */
    public List<Result> run(List<Point> points, Duration maxPerPoint) {
        return run(points, maxPerPoint, r -> { });
    }

    /** {@link #run(List, Duration)}, handing each point's result to {@code progress} as it is measured. */
    public List<Result> run(List<Point> points, Duration maxPerPoint, java.util.function.Consumer<Result> progress) {
        List<Result> out = new ArrayList<>();
        for (Point p : points) {
            Result r;
            try {
                r = point(p, maxPerPoint);
            } catch (BenchException | UncheckedIOException e) {
                r = new Result(p.keys(), p.principals(), p.events(minEvents), 0, 0, 0, 0, e.getMessage());
            }
            out.add(r);
            progress.accept(r);
        }
        return out;
    }

    /** Drains one point's backlog in a fresh child JVM. */
    Result point(Point point, Duration max) {
        String id = DetectBenchmark.shortId();
        String prefix = "card" + id + ".";
        long events = point.events(minEvents);
        new DetectBenchmark(bootstrap, workDir, Map.of()).createTopics(4, prefix + "kms-events",
                prefix + "kms-detections", prefix + "kms-events-rejected");
        fill(prefix + "kms-events", point, events);
        Path state = workDir.resolve("cardinality-" + point.keys() + "-" + point.principals() + "-" + id);
        Path log = workDir.resolve("cardinality-" + point.keys() + "-" + point.principals() + "-" + id + ".log");
        List<String> cmd = MemoryBenchmark.javaForDetect();
        cmd.addAll(List.of("-cp", classPath, DetectStateChild.class.getName(), bootstrap, prefix, state.toString(),
                "bench-cardinality-" + id, String.valueOf(reportMillis)));
        Process p;
        try {
            Files.createDirectories(workDir);
            p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new BenchException("cannot run the detect child: " + e.getMessage(), e);
        }
        try {
            AtomicLong processed = new AtomicLong(-1);
            long[] first = {-1, 0}; // the first progress seen: {nanos, processed}
            SteadyRate rate = new SteadyRate(events, (PASSES - 1) / (double) PASSES);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("processed ")) {
                            long n = Long.parseLong(line.substring(10).trim());
                            processed.set(n);
                            synchronized (rate) {
                                if (first[0] < 0 && n > 0) {
                                    first[0] = System.nanoTime();
                                    first[1] = n;
                                }
                                rate.observe(n, System.nanoTime());
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the child ended; the loop below notices
                }
            }, "bench-cardinality-child");
            reader.setDaemon(true);
            reader.start();
            long start = System.nanoTime();
            long deadline = start + max.toNanos();
            long[] peak = {0, 0};
            while (processed.get() < events && p.isAlive() && System.nanoTime() < deadline) {
                MemoryBenchmark.sample(p.pid(), peak);
                Thread.sleep(200);
            }
            if (processed.get() < events && p.isAlive() && processed.get() > 0) {
                // out of time: what it did in that time is the figure (a rate at that cardinality, and its memory)
                double perSecond;
                synchronized (rate) {
                    long seconds = (System.nanoTime() - first[0]) / 1_000_000_000L;
                    perSecond = seconds <= 0 ? 0 : (processed.get() - first[1]) / (double) seconds;
                }
                MemoryBenchmark.sample(p.pid(), peak);
                return new Result(point.keys(), point.principals(), events, perSecond, peak[0] / 1024.0,
                        directorySize(state) / 1024.0 / 1024.0, (System.nanoTime() - start) / 1e9,
                        "incomplete: processed " + processed.get() + " of " + events + " events in " + max.toSeconds()
                                + " s; eventsPerSec is the rate over what it processed (log " + log + ")");
            }
            if (processed.get() < events) {
                throw new BenchException("the detect child processed " + Math.max(0, processed.get()) + " of " + events
                        + " events (" + point.keys() + " keys, " + point.principals() + " principals) "
                        + (p.isAlive() ? "in " + max.toSeconds() + " s" : "and exited") + " (log " + log + ")");
            }
            double drain = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < 5; i++) { // the last commit and flushes after the last record
                MemoryBenchmark.sample(p.pid(), peak);
                Thread.sleep(200);
            }
            double perSecond;
            synchronized (rate) {
                perSecond = rate.perSecond();
            }
            return new Result(point.keys(), point.principals(), events, perSecond, peak[0] / 1024.0,
                    directorySize(state) / 1024.0 / 1024.0, drain, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (IllegalStateException e) { // SteadyRate: the drain was too short to time
            throw new BenchException(e.getMessage() + " (" + events + " events)", e);
        } finally {
            p.destroy();
            try {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The backlog: {@code events} Decrypt records, record {@code i} by role {@code i mod principals} of key
     * {@code i mod keys}, one hour of event time per pass, keyed by key ARN and lz4-compressed as ingest writes them.
     */
    private void fill(String topic, Point point, long events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long perPass = events / PASSES;
        double microsPerRecord = Duration.ofHours(1).toMillis() * 1000.0 / perPass;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                String key = BenchEvents.keyArn(i % point.keys());
                Instant t = DetectBenchmark.T0.plusNanos(Math.round(i * microsPerRecord) * 1000);
                producer.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), key,
                        BenchEvents.decrypt(i, key, i % point.principals(), t)));
            }
            producer.flush();
        }
    }

    /** Bytes of the regular files under {@code dir} (0 when it does not exist). */
    static long directorySize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted while we walked (a compaction): not there any more
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Min events/s over the smallest point's (the first measured one with the fewest principals). */
    static double worstVsBest(List<Result> results) {
        List<Result> ok = results.stream().filter(Result::measured).toList();
        if (ok.isEmpty()) {
            return Double.NaN;
        }
        Result smallest = ok.stream().min(java.util.Comparator.comparingInt(Result::principals)
                .thenComparingInt(Result::keys)).orElseThrow();
        double min = ok.stream().mapToDouble(Result::eventsPerSec).min().orElseThrow();
        return min / smallest.eventsPerSec();
    }

    /** The largest peak RSS of the measured points. */
    static double peakRss(List<Result> results) {
        return results.stream().filter(Result::measured).mapToDouble(Result::peakRssMiB).max().orElse(Double.NaN);
    }

    /** Throughput and peak RSS against keys (log x axis) for the measured points. */
    static SvgPlot plot(List<Result> results) {
        List<Result> ok = results.stream().filter(Result::measured).toList();
        return new SvgPlot("Detection (exactly-once, every detection) against keys and principals",
                "keys (principals: 10 per key at the issue's points)", ok.stream().mapToDouble(Result::keys).toArray(), true)
                .series("events/s (solid)", ok.stream().mapToDouble(Result::eventsPerSec).toArray())
                .series("peak RSS, MiB (dashed)", ok.stream().mapToDouble(Result::peakRssMiB).toArray());
    }
}
