package io.kmswatch.ingest.lookup;

import java.util.concurrent.TimeUnit;

/**
 * Spaces calls at least {@code 1 / permitsPerSecond} apart: CloudTrail allows LookupEvents at 2
 * requests per second per account and region, and a burst above it only buys ThrottlingExceptions.
 * Thread-safe; one instance per account-region.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long next = System.nanoTime();

    public RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("permitsPerSecond must be positive, got " + permitsPerSecond);
        }
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
    }

    /**
     * Blocks until the next call may go.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, next);
            next = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Pushes the next slot back (after a throttling answer). */
    public synchronized void backOff(long nanos) {
        next = Math.max(next, System.nanoTime() + nanos);
    }
}
