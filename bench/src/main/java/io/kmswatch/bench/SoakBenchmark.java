package io.kmswatch.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kmswatch.events.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The soak: {@link SoakChild} (what {@code kmswatch demo} runs, in one child JVM with the {@code kmswatch} script's
 * JVM options) at a fixed rate of calls for a duration, its RSS, heap after a full collection, state on disk and
 * call-to-alert latency p99 per interval, and at the end every call accounted for: calls made, records on
 * {@code kms-events}, events counted by the detections.
 */
public final class SoakBenchmark {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    /**
     * @param intervals one map per interval ({@code minute, rssMiB, peakRssMiB, heapAfterGcMiB, stateDiskMiB,
     *                  latencyP99Ms, …} and the cumulative counters)
     * @param end       the counters after the drain, with {@code kmsEventsRecords}
     * @param peakRssMiB the child's VmHWM as this process saw it
     */
    public record Result(List<Map<String, Object>> intervals, Map<String, Object> end, double peakRssMiB, Path log) {
        /** Last interval's RSS over the first's. */
        public double rssGrowth() {
            return number(intervals.get(intervals.size() - 1), "rssMiB") / number(intervals.get(0), "rssMiB");
        }

        /**
         * Calls made (traffic and probes, as their clients counted them) − requests the emulator served: calls that
         * never reached it.
         */
        public long callsNotServed() {
            return (long) (number(end, "callsMade") - number(end, "emulatorRequests"));
        }

        /**
         * CloudTrail records the emulator emitted − records on kms-events (read_committed). The records, not the calls:
         * a call can leave more than one record (a cross-account call is logged in the caller's account and in the
         * key owner's, as CloudTrail does), so calls made and records differ by design.
         */
        public long trailRecordsNotOnKmsEvents() {
            return (long) (number(end, "trailRecords") - number(end, "kmsEventsRecords"));
        }

        /** Records on kms-events − events counted by the detections. */
        public long kmsEventsNotCounted() {
            return (long) (number(end, "kmsEventsRecords") - number(end, "detectEvents"));
        }
    }

    private SoakBenchmark() {
    }

    /**
     * Runs the soak.
     *
     * @param classPath what the child runs from: the application jar, or (in tests) this JVM's class path
     * @param progress  receives each interval's line as it comes
     * @throws BenchException when the child fails, ends early or reports nothing
     */
    public static Result run(Duration duration, Duration interval, double rate, long probeMillis, Path workDir,
                             String classPath, Consumer<String> progress) {
        if (interval.compareTo(duration) > 0) {
            throw new BenchException("the soak's interval (" + interval + ") is longer than the soak (" + duration + ")");
        }
        Path dir = workDir.resolve("soak-" + DetectBenchmark.shortId());
        Path log = dir.resolve("soak.log");
        List<String> cmd = MemoryBenchmark.java();
        cmd.addAll(List.of("-cp", classPath, SoakChild.class.getName(), dir.toString(), String.valueOf(duration.toSeconds()),
                String.valueOf(interval.toSeconds()), String.valueOf(rate), String.valueOf(probeMillis)));
        Process p;
        try {
            Files.createDirectories(dir);
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new BenchException("cannot run the soak child: " + e.getMessage(), e);
        }
        List<Map<String, Object>> intervals = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<Map<String, Object>> end = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("soak-interval ")) {
                        intervals.add(Json.MAPPER.readValue(line.substring(14), MAP));
                        progress.accept("   " + line.substring(14));
                    } else if (line.startsWith("soak-result ")) {
                        end.set(Json.MAPPER.readValue(line.substring(12), MAP));
                    }
                }
            } catch (IOException e) {
                // the child ended; the loop below notices
            }
        }, "bench-soak-child");
        reader.setDaemon(true);
        reader.start();
        long[] peak = {0, 0};
        long deadline = System.nanoTime() + duration.plusMinutes(10).toNanos();
        try {
            while (p.isAlive() && System.nanoTime() < deadline) {
                MemoryBenchmark.sample(p.pid(), peak);
                p.waitFor(1, TimeUnit.SECONDS);
            }
            if (p.isAlive()) {
                throw new BenchException("the soak child did not end " + duration.plusMinutes(10).toMinutes()
                        + " minutes after it started (log " + log + ")");
            }
            reader.join(10_000);
            Map<String, Object> result = end.get();
            if (p.exitValue() != 0 || result == null || intervals.isEmpty()) {
                throw new BenchException("the soak child exited with " + p.exitValue() + " after " + intervals.size()
                        + " intervals" + (result == null ? ", without its accounting" : "") + " (log " + log + ")");
            }
            return new Result(List.copyOf(intervals), result, peak[0] / 1024.0, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } finally {
            if (p.isAlive()) {
                p.destroy();
            }
        }
    }

    /** RSS and heap after GC against minutes, on one MiB axis. */
    static SvgPlot memoryPlot(Result r) {
        double[] minutes = column(r.intervals(), "minute");
        return new SvgPlot("Soak: memory of the demo process per interval", "minutes", minutes, false)
                .sharedAxis("MiB")
                .series("RSS (solid)", column(r.intervals(), "rssMiB"))
                .series("heap after GC (dashed)", column(r.intervals(), "heapAfterGcMiB"))
                .series("state on disk (dotted)", column(r.intervals(), "stateDiskMiB"));
    }

    /** Call-to-alert latency p99 against minutes. */
    static SvgPlot latencyPlot(Result r) {
        return new SvgPlot("Soak: call-to-alert latency per interval", "minutes", column(r.intervals(), "minute"), false)
                .series("latency p99, ms", column(r.intervals(), "latencyP99Ms"));
    }

    static double[] column(List<Map<String, Object>> rows, String key) {
        return rows.stream().mapToDouble(m -> number(m, key)).toArray();
    }

    static double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new BenchException("the soak reported no number for " + key + ": " + m);
        }
        return n.doubleValue();
    }
}
