package io.kmswatch.ingest.inventory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * An SDK interceptor that holds every HTTP attempt (retries included: they count against the quota
 * too) to the {@link QuotaLimiter} before it is sent, and counts per operation the attempts sent and
 * the most sent within any one second. Thread-safe.
 */
final class RequestRecorder implements ExecutionInterceptor {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final QuotaLimiter limiter;
    private final LongSupplier nanoTime;
    private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();
    private final Map<String, Long> total = new HashMap<>();
    private final Map<String, Integer> peak = new HashMap<>();

    RequestRecorder(QuotaLimiter limiter, LongSupplier nanoTime) {
        this.limiter = limiter;
        this.nanoTime = nanoTime;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        try {
            limiter.acquire(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while waiting for KMS's request quota (" + op + ")", e);
        }
        long now = nanoTime.getAsLong();
        synchronized (this) {
            ArrayDeque<Long> q = recent.computeIfAbsent(op, o -> new ArrayDeque<>());
            q.addLast(now);
            while (!q.isEmpty() && q.peekFirst() <= now - SECOND) {
                q.removeFirst();
            }
            total.merge(op, 1L, Long::sum);
            peak.merge(op, q.size(), Math::max);
        }
    }

    /** Operation → requests sent. */
    synchronized Map<String, Long> totals() {
        return new TreeMap<>(total);
    }

    /** Operation → the most requests sent within one second. */
    synchronized Map<String, Integer> peaks() {
        return new TreeMap<>(peak);
    }
}
