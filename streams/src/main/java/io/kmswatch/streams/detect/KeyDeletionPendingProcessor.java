package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The timers of {@link KeyDeletionPendingDetection}, driven by stream time (a stream-time punctuator
 * each minute of event time, and every event of the key), never the wall clock: a replay of last
 * month's logs fires the warnings at the event time they were due.
 *
 * <p>A schedule {@code s} is due at {@code max(s, deletionDate − leadTime)}. The decision waits until
 * stream time minus the grace has passed that moment, so every CancelKeyDeletion/DeleteKey that can
 * still arrive for it has arrived: the warning fires iff no such call lies between {@code s} and the
 * due time, and a fired warning resolves once one later than {@code s} is known. Both rules depend on
 * the set of events only, so arrival order within the grace does not change the output.
 */
final class KeyDeletionPendingProcessor implements Processor<String, KeyEvent, String, Detection> {
    /** A successful ScheduleKeyDeletion. */
    record Schedule(long t, String id, String by, String region, long deletionMs, boolean fired, boolean resolved) {
    }

    /** The schedules and closing calls (CancelKeyDeletion, DeleteKey) seen for one key. */
    record Timers(List<Schedule> schedules, List<Long> closes) {
    }

    private static final Duration TICK = Duration.ofMinutes(1);
    private final RuleContext ctx;
    private final String storeName;
    private final long leadMs;
    private final long graceMs;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, Timers> timers;

    KeyDeletionPendingProcessor(RuleContext ctx, String storeName) {
        this.ctx = ctx;
        this.storeName = storeName;
        this.leadMs = ctx.settings().leadTime().toMillis();
        this.graceMs = ctx.grace().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        this.context = c;
        this.timers = c.getStateStore(storeName);
        c.schedule(TICK, PunctuationType.STREAM_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        CloudTrailEvent e = record.value().event();
        String key = e.keyArn();
        KmsOperation op = e.operation();
        if (!e.isKms() || !e.succeeded() || key == null || (op != KmsOperation.SCHEDULE_KEY_DELETION
                && op != KmsOperation.CANCEL_KEY_DELETION && op != KmsOperation.DELETE_KEY)) {
            return;
        }
        if (op == KmsOperation.SCHEDULE_KEY_DELETION && StatelessDetection.sanctioned(record.value(), ctx)) {
            return;
        }
        Timers t = timers.get(key);
        List<Schedule> schedules = t == null ? new ArrayList<>() : new ArrayList<>(t.schedules());
        List<Long> closes = t == null ? new ArrayList<>() : new ArrayList<>(t.closes());
        long at = e.eventTime().toEpochMilli();
        if (op == KmsOperation.SCHEDULE_KEY_DELETION) {
            schedules.add(new Schedule(at, e.eventId(), e.principal(), e.awsRegion(), DeletionDates.of(e).toEpochMilli(),
                    false, false));
        } else {
            closes.add(at);
        }
        decide(key, new Timers(schedules, closes), context.currentStreamTimeMs(), true);
    }

    private void fireDue(long streamTime) {
        List<KeyValue<String, Timers>> all = new ArrayList<>();
        try (KeyValueIterator<String, Timers> it = timers.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, Timers> kv : all) {
            decide(kv.key, kv.value, streamTime, false);
        }
    }

    /** Fires and resolves what is due, forgets what is settled, and writes the timers back if they changed. */
    private void decide(String key, Timers t, long streamTime, boolean dirty) {
        long watermark = streamTime - graceMs;
        List<Schedule> next = new ArrayList<>();
        boolean changed = false;
        for (Schedule s : t.schedules()) {
            long due = Math.max(s.t(), s.deletionMs() - leadMs);
            Schedule now = s;
            if (!s.fired() && watermark >= due
                    && t.closes().stream().noneMatch(c -> c > s.t() && c <= due)) {
                now = new Schedule(s.t(), s.id(), s.by(), s.region(), s.deletionMs(), true, false);
                emit(key, now, Instant.ofEpochMilli(due), false);
            }
            if (now.fired() && !now.resolved() && t.closes().stream().anyMatch(c -> c > s.t())) {
                now = new Schedule(s.t(), s.id(), s.by(), s.region(), s.deletionMs(), true, true);
                emit(key, now, Instant.ofEpochMilli(Math.max(due, streamTime)), true);
            }
            changed |= now != s;
            // Forget a schedule once its deletion date and the grace are behind, and it is settled.
            if (watermark < now.deletionMs() || (now.fired() && !now.resolved())) {
                next.add(now);
            } else {
                changed = true;
            }
        }
        // A close matters only to schedules older than it: keep those that a kept (or a late) schedule may need.
        long oldest = next.stream().mapToLong(Schedule::t).min().orElse(watermark);
        List<Long> closes = t.closes().stream().filter(c -> c > oldest).toList();
        changed |= closes.size() != t.closes().size();
        if (next.isEmpty() && closes.isEmpty()) {
            timers.delete(key);
        } else if (changed || dirty) {
            timers.put(key, new Timers(next, closes));
        }
    }

    private void emit(String key, Schedule s, Instant at, boolean resolves) {
        Instant deletion = Instant.ofEpochMilli(s.deletionMs());
        String region = KeyArns.regionOf(key) != null ? KeyArns.regionOf(key) : s.region();
        long hoursLeft = Math.max(0, Duration.between(at, deletion).toHours());
        Detection d = Findings.of(KeyDeletionPendingDetection.ID, ctx.settings().severity())
                .fingerprintOf(key, s.deletionMs())
                .key(key).account(KeyArns.accountOf(key)).region(region).principal(s.by())
                .span(Instant.ofEpochMilli(s.t()), at.isBefore(Instant.ofEpochMilli(s.t())) ? Instant.ofEpochMilli(s.t()) : at)
                .addEvidence(s.id()).resolves(resolves)
                .title((resolves ? "Pending deletion cancelled: " : "KMS key will be deleted on " + deletion + ": ") + key)
                .summary(resolves ? "The deletion scheduled for " + deletion + " was cancelled or has completed."
                        : "The key is still pending deletion, " + hoursLeft + " hours before its deletion date "
                        + deletion + " (scheduled by " + s.by() + "). After that date the key and everything "
                        + "encrypted under it are gone.")
                .attr("deletionDate", deletion).attr("hoursLeft", hoursLeft)
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Is anything still encrypted under this key? Last use is in the key inventory.",
                        "If the key is still needed, cancel the deletion before " + deletion + ", then enable it."),
                        Runbooks.cancelKeyDeletion(key, region), Runbooks.enableKey(key, region)))
                .build();
        context.forward(new Record<>(d.fingerprint(), d, Math.max(at.toEpochMilli(), s.t())));
    }
}
