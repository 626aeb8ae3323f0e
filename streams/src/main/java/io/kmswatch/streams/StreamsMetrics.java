package io.kmswatch.streams;

import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.detect.KeyFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detect stage's meters. Processors record into this object; {@link #bindTo} attaches it to the
 * process's registry (before or after the topology starts). Labels are bounded: event names are KMS
 * operations (else {@code other}), detections and severities are fixed sets, skip reasons are
 * categories.
 *
 * <ul>
 *   <li>{@code kmswatch.streams.events{event_name,outcome}}: deduplicated events processed</li>
 *   <li>{@code kmswatch.streams.detections{detection,severity}}: detection records written</li>
 *   <li>{@code kmswatch.streams.duplicates}: records dropped because their eventID was already seen</li>
 *   <li>{@code kmswatch.streams.late{stage}}: records dropped as later than the grace or the dedup retention</li>
 *   <li>{@code kmswatch.streams.records.skipped{reason}}: values that could not be read, sent to kms-events-rejected</li>
 *   <li>{@code kmswatch.streams.keys{state}}, {@code kmswatch.streams.keys.without.rotation},
 *       {@code kmswatch.streams.keys.pending.deletion}, {@code kmswatch.streams.keys.soonest.deletion}:
 *       the key inventory held by this process's tasks</li>
 * </ul>
 */
public final class StreamsMetrics implements MeterBinder {
    /** Key states tracked by the inventory gauges. */
    public static final List<String> KEY_STATES = List.of("Enabled", "Disabled", "PendingDeletion", "PendingImport",
            "Deleted", KeyFacts.UNKNOWN);

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Set<InventoryTally> tallies = ConcurrentHashMap.newKeySet();

    public StreamsMetrics() {
        for (String state : KEY_STATES) {
            Gauge.builder("kmswatch.streams.keys", this, m -> m.keys(state))
                    .description("Keys in the inventory of this process's tasks, by key state")
                    .tag("state", state).register(registry);
        }
        Gauge.builder("kmswatch.streams.keys.without.rotation", this, m -> m.sum(InventoryTally::withoutRotation))
                .description("Keys whose automatic rotation was seen disabled (or never enabled since CreateKey)")
                .register(registry);
        Gauge.builder("kmswatch.streams.keys.pending.deletion", this, m -> m.sum(InventoryTally::pendingDeletion))
                .description("Keys scheduled for deletion and not cancelled").register(registry);
        Gauge.builder("kmswatch.streams.keys.soonest.deletion", this, StreamsMetrics::soonestDeletionEpochSeconds)
                .description("Epoch seconds of the soonest deletion date among keys pending deletion (NaN when none)")
                .baseUnit("seconds").register(registry);
    }

    @Override
    public void bindTo(MeterRegistry target) {
        registry.add(Objects.requireNonNull(target, "registry"));
    }

    /** One deduplicated event processed. */
    public void event(String eventName, boolean succeeded) {
        String name = KmsOperation.fromValue(eventName) != KmsOperation.UNKNOWN
                || "PutObject".equals(eventName) || "CopyObject".equals(eventName) ? eventName : "other";
        String outcome = succeeded ? "success" : "failure";
        counter("kmswatch.streams.events", "Deduplicated CloudTrail events processed by the detections",
                "event_name", name, "outcome", outcome).increment();
    }

    public void detection(String detection, Severity severity) {
        counter("kmswatch.streams.detections", "Detection records written to kms-detections",
                "detection", detection, "severity", severity.label()).increment();
    }

    public void duplicate() {
        counter("kmswatch.streams.duplicates", "Records dropped because their eventID was already processed")
                .increment();
    }

    public void lateDropped(String stage) {
        counter("kmswatch.streams.late", "Records dropped for arriving later than the grace (or dedup retention)",
                "stage", stage).increment();
    }

    public void skipped(String reason) {
        counter("kmswatch.streams.records.skipped",
                "Records that could not be read, sent to kms-events-rejected", "reason", reason).increment();
    }

    /** A task's inventory tally, counted in the gauges until {@link #removeTally}. */
    public void addTally(InventoryTally t) {
        tallies.add(t);
    }

    public void removeTally(InventoryTally t) {
        tallies.remove(t);
    }

    private Counter counter(String name, String description, String... tags) {
        String id = name + String.join("\u0000", tags);
        return counters.computeIfAbsent(id, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }

    private double keys(String state) {
        long n = 0;
        for (InventoryTally t : tallies) {
            n += t.keys(state);
        }
        return n;
    }

    private double sum(java.util.function.ToLongFunction<InventoryTally> f) {
        long n = 0;
        for (InventoryTally t : tallies) {
            n += f.applyAsLong(t);
        }
        return n;
    }

    private double soonestDeletionEpochSeconds() {
        long min = Long.MAX_VALUE;
        for (InventoryTally t : tallies) {
            min = Math.min(min, t.soonestDeletionMs());
        }
        return min == Long.MAX_VALUE ? Double.NaN : min / 1000.0;
    }

    /** The inventory counts of one task; updated by that task's thread, read by the gauges. */
    public static final class InventoryTally {
        private final Map<String, AtomicLong> byState = new ConcurrentHashMap<>();
        private final AtomicLong withoutRotation = new AtomicLong();
        private final Map<String, Long> pending = new ConcurrentHashMap<>();

        /** Moves a key from its old facts (null when new) to its new facts. */
        public void move(KeyFacts before, KeyFacts after) {
            if (before != null) {
                byState.computeIfAbsent(before.state(), s -> new AtomicLong()).decrementAndGet();
                if (noRotation(before)) {
                    withoutRotation.decrementAndGet();
                }
            }
            if (after != null) {
                byState.computeIfAbsent(after.state(), s -> new AtomicLong()).incrementAndGet();
                if (noRotation(after)) {
                    withoutRotation.incrementAndGet();
                }
                if (after.isPendingDeletion() && after.pendingDeletionDate() != null) {
                    pending.put(after.keyArn(), after.pendingDeletionDate().toEpochMilli());
                } else {
                    pending.remove(after.keyArn());
                }
            }
        }

        private static boolean noRotation(KeyFacts f) {
            return Boolean.FALSE.equals(f.rotationEnabled()) && !"Deleted".equals(f.state());
        }

        long keys(String state) {
            AtomicLong n = byState.get(state);
            return n == null ? 0 : n.get();
        }

        long withoutRotation() {
            return withoutRotation.get();
        }

        long pendingDeletion() {
            return pending.size();
        }

        long soonestDeletionMs() {
            long min = Long.MAX_VALUE;
            for (long v : pending.values()) {
                min = Math.min(min, v);
            }
            return min;
        }
    }
}
