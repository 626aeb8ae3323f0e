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
 * The timers of {@link KeyDeletionPendingDetection}: one entry per key pending deletion, checked on
 * every event of the key and by a stream-time punctuator each minute of event time. Nothing reads
 * the wall clock: a replay of last month's logs fires the warnings at the event time they were due.
 */
final class KeyDeletionPendingProcessor implements Processor<String, KeyEvent, String, Detection> {
    /** A key pending deletion; {@code cancelledAt} remembers a cancel that arrived before its schedule. */
    record Pending(long deletionDateMs, long scheduledAtMs, String eventId, String principal, String region,
                   boolean fired, long cancelledAtMs) {
    }

    private static final Duration TICK = Duration.ofMinutes(1);
    private final RuleContext ctx;
    private final String storeName;
    private final long leadMs;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, Pending> pending;

    KeyDeletionPendingProcessor(RuleContext ctx, String storeName) {
        this.ctx = ctx;
        this.storeName = storeName;
        this.leadMs = ctx.settings().leadTime().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        this.context = c;
        this.pending = c.getStateStore(storeName);
        c.schedule(TICK, PunctuationType.STREAM_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        CloudTrailEvent e = record.value().event();
        String key = e.keyArn();
        if (!e.isKms() || !e.succeeded() || key == null) {
            return;
        }
        KmsOperation op = e.operation();
        if (op != KmsOperation.SCHEDULE_KEY_DELETION && op != KmsOperation.CANCEL_KEY_DELETION
                && op != KmsOperation.DELETE_KEY) {
            return;
        }
        long t = e.eventTime().toEpochMilli();
        Pending p = pending.get(key);
        if (op == KmsOperation.SCHEDULE_KEY_DELETION) {
            if (StatelessDetection.sanctioned(record.value(), ctx) || (p != null && p.cancelledAtMs() > t)
                    || (p != null && p.scheduledAtMs() > t)) {
                return;
            }
            pending.put(key, new Pending(DeletionDates.of(e).toEpochMilli(), t, e.eventId(), e.principal(),
                    e.awsRegion(), false, Long.MIN_VALUE));
            fireDue(context.currentStreamTimeMs());
        } else if (op == KmsOperation.CANCEL_KEY_DELETION || op == KmsOperation.DELETE_KEY) {
            if (p != null && p.scheduledAtMs() > t) {
                return;
            }
            if (p != null && p.fired() && op == KmsOperation.CANCEL_KEY_DELETION) {
                context.forward(new Record<>(fingerprint(key, p), finding(key, p, e.eventTime())
                        .resolves(true).addEvidence(e.eventId())
                        .title("Pending deletion cancelled: " + key).build(), record.timestamp()));
            }
            // Remember the cancel, so a schedule that arrives late (older) does not revive the timer.
            pending.put(key, new Pending(0, Long.MIN_VALUE, null, null, null, false, t));
        }
    }

    private void fireDue(long streamTime) {
        List<KeyValue<String, Pending>> due = new ArrayList<>();
        try (KeyValueIterator<String, Pending> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, Pending> kv = it.next();
                Pending p = kv.value;
                if (p.eventId() != null && !p.fired() && streamTime >= p.deletionDateMs() - leadMs) {
                    due.add(kv);
                }
            }
        }
        for (KeyValue<String, Pending> kv : due) {
            Pending p = kv.value;
            pending.put(kv.key, new Pending(p.deletionDateMs(), p.scheduledAtMs(), p.eventId(), p.principal(),
                    p.region(), true, p.cancelledAtMs()));
            Instant at = Instant.ofEpochMilli(Math.max(streamTime, p.scheduledAtMs()));
            Detection d = finding(kv.key, p, at).build();
            context.forward(new Record<>(d.fingerprint(), d, at.toEpochMilli()));
        }
    }

    private static String fingerprint(String key, Pending p) {
        return Findings.fingerprint(KeyDeletionPendingDetection.ID, key, p.deletionDateMs());
    }

    private Findings finding(String key, Pending p, Instant at) {
        Instant deletion = Instant.ofEpochMilli(p.deletionDateMs());
        String region = KeyArns.regionOf(key) != null ? KeyArns.regionOf(key) : p.region();
        Duration left = Duration.between(at, deletion);
        return Findings.of(KeyDeletionPendingDetection.ID, ctx.settings().severity())
                .fingerprintOf(key, p.deletionDateMs())
                .key(key).account(KeyArns.accountOf(key)).region(region).principal(p.principal())
                .span(Instant.ofEpochMilli(p.scheduledAtMs()), at).addEvidence(p.eventId())
                .title("KMS key will be deleted on " + deletion + ": " + key)
                .summary("The key is still pending deletion, " + Math.max(0, left.toHours()) + " hours before its "
                        + "deletion date " + deletion + " (scheduled by " + p.principal() + "). After that date "
                        + "the key and everything encrypted under it are gone.")
                .attr("deletionDate", deletion).attr("hoursLeft", Math.max(0, left.toHours()))
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Is anything still encrypted under this key? Last use is in the key inventory.",
                        "If the key is still needed, cancel the deletion before " + deletion + ", then enable it."),
                        Runbooks.cancelKeyDeletion(key, region), Runbooks.enableKey(key, region)));
    }
}
