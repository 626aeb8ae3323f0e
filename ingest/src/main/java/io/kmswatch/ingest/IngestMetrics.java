package io.kmswatch.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.kmswatch.events.Rejected;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one ingest source kind ({@code lookup}, {@code files}, {@code s3}, {@code emulator}),
 * all tagged {@code source=<kind>}:
 * <ul>
 *   <li>{@code kmswatch.ingest.records.in}: records read from the source (before filtering);</li>
 *   <li>{@code kmswatch.ingest.records.produced}: records acknowledged on {@code kms-events};</li>
 *   <li>{@code kmswatch.ingest.records.rejected{reason}}: input sent to {@code kms-events-rejected},
 *       by {@link Rejected#reasonCategory()} (at most {@value #MAX_REASONS} categories, then
 *       {@code other}); {@code reason=other} exists at zero from the start, so every source has a
 *       series (and the rejection-rate rule a denominator match) before its first rejection;</li>
 *   <li>{@code kmswatch.ingest.records.skipped{reason=filtered|duplicate}}: records not for
 *       {@code kms-events}, and repeats dropped by eventID;</li>
 *   <li>{@code kmswatch.ingest.records.future}: records sent with an eventTime ahead of the clock
 *       (flagged with the {@code future} header, see {@link EventPublisher#FUTURE_TOLERANCE});</li>
 *   <li>{@code kmswatch.ingest.lag.seconds}: now − the newest eventTime acknowledged (an eventTime
 *       in the future counts as now, so one such record cannot hide the lag of the others);</li>
 *   <li>{@code kmswatch.ingest.checkpoint.age.seconds}: now − the last checkpoint write;</li>
 *   <li>{@code kmswatch.ingest.files.done}: log files (or S3 objects) completely acknowledged;</li>
 *   <li>{@code kmswatch.ingest.lookup.calls{outcome=success|throttled|error}} and
 *       {@code kmswatch.ingest.lookup.throttles}: LookupEvents requests.</li>
 * </ul>
 * Counts are kept here, so they can be read before (or without) binding to a registry. Thread-safe.
 */
public final class IngestMetrics implements MeterBinder {
    /** Distinct rejection categories tracked before the rest are counted as {@code other}. */
    public static final int MAX_REASONS = 32;
    private static final String OTHER = "other";

    private final String source;
    private final LongAdder in = new LongAdder();
    private final LongAdder produced = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder future = new LongAdder();
    private final LongAdder filesDone = new LongAdder();
    private final LongAdder lookupSuccess = new LongAdder();
    private final LongAdder lookupThrottled = new LongAdder();
    private final LongAdder lookupError = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final AtomicLong newestEventMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastCheckpointMillis = new AtomicLong(Long.MIN_VALUE);
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    /** @param source the source kind, a bounded label: lookup, files, s3, emulator */
    public IngestMetrics(String source) {
        this.source = source;
        rejected.put(OTHER, new LongAdder());
    }

    public String source() {
        return source;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("source", source);
        counter("kmswatch.ingest.records.in", in)
                .description("CloudTrail records read from the source, before filtering").tags(tags)
                .register(registry);
        counter("kmswatch.ingest.records.produced", produced)
                .description("Records acknowledged by Kafka on kms-events").tags(tags).register(registry);
        counter("kmswatch.ingest.records.skipped", filtered)
                .description("Records not sent to kms-events: not KMS (filtered) or already sent (duplicate)")
                .tags(tags.and("reason", "filtered")).register(registry);
        counter("kmswatch.ingest.records.skipped", duplicates)
                .description("Records not sent to kms-events: not KMS (filtered) or already sent (duplicate)")
                .tags(tags.and("reason", "duplicate")).register(registry);
        counter("kmswatch.ingest.records.future", future)
                .description("Records sent to kms-events with an eventTime ahead of the clock (flagged, not dropped)")
                .tags(tags).register(registry);
        counter("kmswatch.ingest.files.done", filesDone)
                .description("Log files or S3 objects whose every record Kafka acknowledged").tags(tags)
                .register(registry);
        for (var e : Map.of("success", lookupSuccess, "throttled", lookupThrottled, "error", lookupError).entrySet()) {
            counter("kmswatch.ingest.lookup.calls", e.getValue())
                    .description("CloudTrail LookupEvents requests, by outcome").tags(tags.and("outcome", e.getKey()))
                    .register(registry);
        }
        counter("kmswatch.ingest.lookup.throttles", lookupThrottled)
                .description("LookupEvents requests refused with ThrottlingException").tags(tags).register(registry);
        Gauge.builder("kmswatch.ingest.lag.seconds", this, m -> secondsSince(m.newestEventMillis.get()))
                .description("Now minus the newest eventTime acknowledged by Kafka").baseUnit("seconds").tags(tags)
                .register(registry);
        Gauge.builder("kmswatch.ingest.checkpoint.age.seconds", this, m -> secondsSince(m.lastCheckpointMillis.get()))
                .description("Seconds since the source last wrote its checkpoint").baseUnit("seconds").tags(tags)
                .register(registry);
        registries.add(registry);
        rejected.forEach((reason, count) -> registerRejected(registry, reason, count));
    }

    /**
     * A function counter over {@code count} that keeps it reachable. Micrometer holds a function counter's
     * object only weakly; once a finished source (a replay) and these metrics were collected, the counter
     * would read as whatever it read when last polled (0 if never), so the function holds the count.
     */
    private static FunctionCounter.Builder<LongAdder> counter(String name, LongAdder count) {
        return FunctionCounter.builder(name, count, ignored -> count.doubleValue());
    }

    private void registerRejected(MeterRegistry registry, String reason, LongAdder count) {
        counter("kmswatch.ingest.records.rejected", count)
                .description("Input sent to kms-events-rejected, by reason category")
                .tags(Tags.of("source", source, "reason", reason)).register(registry);
    }

    private static double secondsSince(long millis) {
        return millis == Long.MIN_VALUE ? Double.NaN : (System.currentTimeMillis() - millis) / 1000.0;
    }

    void recordIn() {
        in.increment();
    }

    void recordProduced(Instant eventTime) {
        recordProduced(eventTime.toEpochMilli());
    }

    void recordProduced(long eventMillis) {
        produced.increment();
        // A record from the future would turn the lag negative and keep it there, silencing the lag alert.
        long bounded = Math.min(eventMillis, System.currentTimeMillis());
        if (bounded > newestEventMillis.get()) {
            newestEventMillis.accumulateAndGet(bounded, Math::max);
        }
    }

    void recordFuture() {
        future.increment();
    }

    void recordFiltered() {
        filtered.increment();
    }

    /** A record dropped because its eventID was already sent. */
    public void recordDuplicate() {
        duplicates.increment();
    }

    void recordRejected(String reasonCategory) {
        String reason = reasonCategory == null || reasonCategory.isEmpty() ? "unknown" : reasonCategory;
        LongAdder count = rejected.get(reason);
        if (count == null) {
            if (rejected.size() - 1 >= MAX_REASONS) { // "other" is always there and not a category
                reason = OTHER;
            }
            count = rejected.computeIfAbsent(reason, r -> {
                LongAdder a = new LongAdder();
                for (MeterRegistry registry : registries) {
                    registerRejected(registry, r, a);
                }
                return a;
            });
        }
        count.increment();
    }

    void recordCheckpoint() {
        lastCheckpointMillis.set(System.currentTimeMillis());
    }

    /** A file or object completely acknowledged. */
    public void recordFileDone() {
        filesDone.increment();
    }

    /** One LookupEvents request and how it ended. */
    public void recordLookupCall(String outcome) {
        switch (outcome) {
            case "success" -> lookupSuccess.increment();
            case "throttled" -> lookupThrottled.increment();
            default -> lookupError.increment();
        }
    }

    public long in() {
        return in.sum();
    }

    public long produced() {
        return produced.sum();
    }

    public long filtered() {
        return filtered.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    /** Records sent with an eventTime ahead of the clock. */
    public long future() {
        return future.sum();
    }

    public long filesDone() {
        return filesDone.sum();
    }

    public long lookupCalls() {
        return lookupSuccess.sum() + lookupThrottled.sum() + lookupError.sum();
    }

    public long lookupThrottles() {
        return lookupThrottled.sum();
    }

    /** Rejections, all reasons. */
    public long rejected() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Rejections by reason category. */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejected.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k, v.sum());
            }
        });
        return out;
    }
}
