package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import io.kmswatch.streams.StreamsMetrics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts events per entity in event-time tumbling windows and fires when a window's count first
 * reaches the threshold, then again only when it crosses a higher tier (threshold × 1, 2, 5, 10,
 * 20, 50, …). A window accepts events until its end plus the grace has passed in stream time; later
 * events are counted as late drops. Because a window's count does not depend on arrival order, and
 * tiers are crossed one count at a time, out-of-order input within the grace gives the same firings
 * (fingerprint and tier) as sorted input.
 */
public abstract class CountingProcessor implements Processor<String, KeyEvent, String, Detection> {
    private final String detectionId;
    private final String storeName;
    protected final long sizeMs;
    protected final long graceMs;
    private final StreamsMetrics metrics;
    protected ProcessorContext<String, Detection> context;
    protected WindowStore<String, WindowBucket> buckets;
    /**
     * The newest event time this processor has counted or seen: lateness is judged by it rather than by the
     * task's stream time, which a settle tick (or the other side of the task: kms-events vs. the by-principal
     * repartition) may have pushed ahead of events still on their way here. In memory: after a restart the
     * first event sets it again.
     */
    private long seenMs = Long.MIN_VALUE;

    protected CountingProcessor(String detectionId, String storeName, Duration size, Duration grace,
                                StreamsMetrics metrics) {
        this.detectionId = detectionId;
        this.storeName = storeName;
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
        this.metrics = metrics;
    }

    /** Retention a counting store needs: the window, its grace, and {@code extraWindows} of history. */
    public static Duration retention(Duration size, Duration grace, int extraWindows) {
        return size.multipliedBy(2L + extraWindows).plus(grace);
    }

    @Override
    public void init(ProcessorContext<String, Detection> ctx) {
        this.context = ctx;
        this.buckets = ctx.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        if (record.value() == null) {
            return; // a settle (see DetectionTopology): windows need no action, late ones are dropped on arrival
        }
        String entity = entity(record.value());
        if (entity == null) {
            return;
        }
        long ts = record.timestamp();
        seenMs = Math.max(seenMs, ts);
        long start = windowStart(ts, sizeMs);
        if (start + sizeMs + graceMs <= seenMs) {
            metrics.lateDropped(detectionId);
            return;
        }
        WindowBucket b = buckets.fetch(entity, start);
        b = (b == null ? WindowBucket.empty() : b).plus(ts, record.value().event().eventId());
        long threshold = threshold(entity, start, record.value());
        int tier = tierFor(b.count(), threshold);
        if (tier > b.tier()) {
            b = b.firedAt(tier);
            buckets.put(entity, b, start);
            Detection d = detection(record.value(), entity, start, b, tier, threshold);
            if (d != null) {
                context.forward(new Record<>(d.fingerprint(), d, ts));
            }
        } else {
            buckets.put(entity, b, start);
        }
    }

    /** The entity an event counts for, or null when it does not count. */
    protected abstract String entity(KeyEvent e);

    /** The count at which the window fires (tier 0). */
    protected abstract long threshold(String entity, long windowStart, KeyEvent e);

    /** The detection for a firing (null to stay quiet). */
    protected abstract Detection detection(KeyEvent e, String entity, long windowStart, WindowBucket bucket, int tier,
                                           long threshold);

    public static long windowStart(long ts, long sizeMs) {
        return Math.floorDiv(ts, sizeMs) * sizeMs;
    }

    /** Multiplier of a tier: 1, 2, 5, 10, 20, 50, … */
    public static long multiplier(int tier) {
        long m = new long[] {1, 2, 5}[tier % 3];
        for (int i = 0; i < tier / 3; i++) {
            m *= 10;
        }
        return m;
    }

    /** The highest tier a count reaches, or -1 below the threshold. */
    public static int tierFor(long count, long threshold) {
        int tier = -1;
        while (tier < 30) {
            long next;
            try {
                next = Math.multiplyExact(threshold, multiplier(tier + 1));
            } catch (ArithmeticException overflow) {
                break;
            }
            if (count < next) {
                break;
            }
            tier++;
        }
        return tier;
    }
}
