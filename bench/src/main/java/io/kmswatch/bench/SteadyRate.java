package io.kmswatch.bench;

/**
 * The rate of a drain once it is under way: items per second from the moment the first {@code skip} share of
 * the work is done to the end. A Kafka client or a Kafka Streams application spends its first second or so
 * joining its group, being assigned partitions, restoring (empty) state, starting transactions and fetching
 * from every partition; timed from its first record, a drain of a few seconds is half that. The same window is used for a stage and for its reference, so their ratio compares like with
 * like. Feed it the running count with {@link #observe} as often as convenient (not thread-safe).
 */
public final class SteadyRate {
    /** The share of a drain left out by default. */
    public static final double DEFAULT_SKIP = 0.1;

    private final long total;
    private final long threshold;
    private long firstNanos = -1;
    private long fromNanos = -1;
    private long fromCount;
    private long endNanos = -1;

    /**
     * @param total items the drain moves
     * @param skip  share of them left out of the timing, in [0, 1)
     */
    public SteadyRate(long total, double skip) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be positive, got " + total);
        }
        if (!(skip >= 0 && skip < 1)) {
            throw new IllegalArgumentException("skip must be in [0, 1), got " + skip);
        }
        this.total = total;
        this.threshold = Math.max(1, (long) Math.ceil(total * skip));
    }

    /** {@code total} items, leaving the first {@value #DEFAULT_SKIP} of them out. */
    public SteadyRate(long total) {
        this(total, DEFAULT_SKIP);
    }

    /**
     * Records that {@code done} items were finished at {@code nanos} ({@link System#nanoTime()} or any monotonic
     * clock), the counts not decreasing.
     *
     * @return whether the drain is complete
     */
    public boolean observe(long done, long nanos) {
        if (done > 0 && firstNanos < 0) {
            firstNanos = nanos;
        }
        if (done >= threshold && fromNanos < 0) {
            fromNanos = nanos;
            fromCount = done;
        }
        if (done >= total && endNanos < 0) {
            endNanos = nanos;
        }
        return endNanos >= 0;
    }

    /** Marks the end explicitly (after a final flush, say); the drain must have reached its total. */
    public void end(long nanos) {
        if (endNanos < 0) {
            throw new IllegalStateException("the drain has not reached its total");
        }
        endNanos = nanos;
    }

    /**
     * Items per second over the timed part.
     *
     * @throws IllegalStateException when the drain is not complete, or was too short to time
     */
    public double perSecond() {
        if (endNanos < 0) {
            throw new IllegalStateException("the drain has not reached its total");
        }
        long items = total - fromCount;
        long nanos = endNanos - fromNanos;
        if (items == 0 || nanos <= 0) {
            // the whole drain was seen in one observation: time it from its first item instead
            items = total;
            nanos = endNanos - firstNanos;
        }
        if (nanos <= 0) {
            throw new IllegalStateException("the drain was over between two observations: too short to time");
        }
        return items * 1e9 / nanos;
    }

    /** Seconds from the first item to the start of the timed part. */
    public double untimedSeconds() {
        return fromNanos < 0 || firstNanos < 0 ? 0 : (fromNanos - firstNanos) / 1e9;
    }
}
