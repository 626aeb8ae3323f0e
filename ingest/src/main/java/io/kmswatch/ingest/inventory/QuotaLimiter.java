package io.kmswatch.ingest.inventory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the inventory's calls of each KMS operation under a share of the operation's request quota
 * ({@link KmsRequestQuotas}): calls of one operation are spaced at least {@code 1 / (share × quota)}
 * seconds apart, so any one-second interval holds at most {@code floor(share × quota) + 1} slots,
 * which stays under the quota for any share below 1. A caller that wakes late from its wait sends
 * later than its slot, so a few requests can go closer together than their slots; a share well below 1
 * (default 0.5) absorbs that. One instance per account and Region (quotas are per account and Region);
 * thread-safe.
 */
public final class QuotaLimiter {
    /** Waits a number of nanoseconds. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Map<String, Slot> slots = new HashMap<>();
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    /** A limiter on the system clock. */
    public QuotaLimiter(double share) {
        this(share, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /**
     * A limiter on a given clock (tests).
     *
     * @throws IllegalArgumentException when {@code share} is not in (0, 1)
     */
    public QuotaLimiter(double share, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(share > 0) || !(share < 1)) {
            throw new IllegalArgumentException("the inventory's share of KMS's request quotas must be in (0, 1), got " + share);
        }
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        KmsRequestQuotas.DEFAULTS.forEach((op, quota) ->
                slots.put(op, new Slot((long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / (quota * share)), nanoTime.getAsLong())));
    }

    /**
     * Blocks until a call of {@code operation} may go.
     *
     * @throws InterruptedException     when interrupted while waiting
     * @throws IllegalArgumentException for an operation without a known quota
     */
    public void acquire(String operation) throws InterruptedException {
        Slot slot = slots.get(operation);
        if (slot == null) {
            throw new IllegalArgumentException("no request quota known for " + operation);
        }
        long wait;
        synchronized (slot) {
            long now = nanoTime.getAsLong();
            long at = Math.max(now, slot.next);
            slot.next = at + slot.interval;
            wait = at - now;
        }
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }

    /** The spacing between two calls of an operation, in nanoseconds. */
    long intervalNanos(String operation) {
        return slots.get(operation).interval;
    }

    private static final class Slot {
        final long interval;
        long next;

        Slot(long interval, long start) {
            this.interval = interval;
            this.next = start;
        }
    }
}
