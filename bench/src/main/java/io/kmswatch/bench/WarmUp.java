package io.kmswatch.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Warm-up until the JIT compiler is quiet. The code a benchmark measures (an SDK client, a Kafka producer,
 * a parser) is compiled by C2 while it runs; measured before that ends, a figure is partly the compiler's,
 * which on two cores takes as much as half of the machine, and a path with more code to compile looks slower
 * than it is. A round counts as quiet when the compiler spent less than 5 % of its wall time.
 */
public final class WarmUp {
    /** Compiling time over wall time under which a round counts as quiet. */
    public static final double QUIET = 0.05;

    private WarmUp() {
    }

    /**
     * Runs {@code round} until one run of it was quiet (at least {@code minRounds} runs), or {@code max} has
     * elapsed; without compilation-time monitoring in this JVM, runs it {@code minRounds} times.
     *
     * @return how long it took
     */
    public static Duration untilJitQuiet(Runnable round, int minRounds, Duration max) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean monitored = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        for (int n = 1; ; n++) {
            long compiled = monitored ? jit.getTotalCompilationTime() : 0;
            long t0 = System.nanoTime();
            round.run();
            double wallMs = (System.nanoTime() - t0) / 1e6;
            double compilingMs = monitored ? jit.getTotalCompilationTime() - compiled : 0;
            boolean quiet = monitored && compilingMs < QUIET * wallMs;
            if (n >= minRounds && (quiet || !monitored || System.nanoTime() > deadline)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
    }
}
