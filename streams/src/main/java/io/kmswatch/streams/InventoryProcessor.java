package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.streams.detect.KeyEvent;
import io.kmswatch.streams.detect.KeyFacts;
import io.kmswatch.streams.inventory.SnapshotFacts;
import io.kmswatch.streams.state.StoreSweeper;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The key inventory: one {@link KeyFacts} per key seen (state, rotation, owner, tags, last used,
 * pending deletion date), kept in a store keyed by key ARN — the input's key, so no repartition —
 * and tallied into the {@link StreamsMetrics} gauges. Each event is forwarded with the facts as
 * they were before it, then the facts are updated. When detect reads {@code kms-key-inventory}, its
 * snapshots come in here too and seed the facts ({@link SnapshotFacts}); they are not forwarded.
 *
 * <p>A key lives in the inventory as long as it exists; once deleted, {@code deletedKeyRetention} (30 days by
 * default) after the DeleteKey: a later event about it (a failing call) sees it as unknown, and a sweep (a slice
 * of the store each hour of event time) deletes it from the store and the key gauges.
 */
final class InventoryProcessor implements Processor<String, Object, String, KeyEvent> {
    static final String STORE = "kmswatch-key-inventory";
    /** Keys whose facts a task keeps as objects (see {@link io.kmswatch.streams.state.WriteBehindStores}). */
    static final int HOT_KEYS = 10_000;

    /** Keys a sweep looks at each hour of event time. */
    static final int SWEEP_SLICE = 10_000;

    private final StreamsMetrics metrics;
    private final long deletedRetentionMs;
    private final StreamsMetrics.InventoryTally tally = new StreamsMetrics.InventoryTally();
    private ProcessorContext<String, KeyEvent> context;
    private KeyValueStore<String, KeyFacts> inventory;
    /** The newest event time seen here: the sweep's now (stream time may have been pushed by a settle tick). */
    private long newestMs = Long.MIN_VALUE;

    InventoryProcessor(StreamsMetrics metrics, Duration deletedKeyRetention) {
        this.metrics = metrics;
        this.deletedRetentionMs = deletedKeyRetention.toMillis();
    }

    /** True when {@code f} is a deleted key past its retention at {@code now}. */
    private boolean forgotten(KeyFacts f, long now) {
        return f != null && "Deleted".equals(f.state()) && f.stateChangedAt() != null
                && f.stateChangedAt().toEpochMilli() < now - deletedRetentionMs;
    }

    @Override
    public void init(ProcessorContext<String, KeyEvent> ctx) {
        this.context = ctx;
        this.inventory = ctx.getStateStore(STORE);
        // The store is restored before init: count what it already holds.
        try (KeyValueIterator<String, KeyFacts> it = inventory.all()) {
            while (it.hasNext()) {
                tally.move(null, it.next().value);
            }
        }
        metrics.addTally(tally);
        StoreSweeper<KeyFacts> sweeper = new StoreSweeper<>(inventory, (k, f, now) -> {
            if (forgotten(f, now)) {
                tally.move(f, null);
                return null;
            }
            return f;
        }, SWEEP_SLICE);
        ctx.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, t -> {
            if (newestMs != Long.MIN_VALUE) {
                sweeper.sweep(newestMs);
            }
        });
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof KeySnapshot s) {
            // A snapshot from kms-key-inventory (only when detect reads it): seeds the facts, fires nothing.
            KeyFacts before = inventory.get(s.keyArn());
            KeyFacts after = SnapshotFacts.apply(before, s);
            if (!after.equals(before)) {
                inventory.put(s.keyArn(), after);
                tally.move(before, after);
            }
            return;
        }
        CloudTrailEvent e = (CloudTrailEvent) record.value();
        String arn = e.isKms() ? e.keyArn() : null;
        if (arn == null) {
            context.forward(record.withValue(new KeyEvent(e, null)));
            return;
        }
        newestMs = Math.max(newestMs, record.timestamp());
        KeyFacts before = inventory.get(arn);
        if (forgotten(before, newestMs)) {
            tally.move(before, null);
            inventory.delete(arn);
            before = null;
        }
        context.forward(record.withValue(new KeyEvent(e, before)));
        KeyFacts after = (before == null ? KeyFacts.unseen(arn, e.eventTime()) : before).apply(e);
        if (!after.equals(before)) {
            inventory.put(arn, after);
            tally.move(before, after);
        }
    }

    @Override
    public void close() {
        metrics.removeTally(tally);
    }
}
