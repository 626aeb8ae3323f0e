package io.kmswatch.bench;

import java.util.Arrays;

/** Latency percentiles (milliseconds) of one run. */
public record Percentiles(int samples, double p50, double p99, double p999, double max) {
    /** From latencies in nanoseconds; all zero when there are none. */
    public static Percentiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Percentiles(s.length, at(s, 0.5), at(s, 0.99), at(s, 0.999), s[s.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
