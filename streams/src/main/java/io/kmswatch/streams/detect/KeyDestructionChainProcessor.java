package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-key state of {@link KeyDestructionChainDetection}. Each step remembers its event time, so
 * the chain forms the same way whichever of DisableKey and ScheduleKeyDeletion arrives first, and an
 * EnableKey/CancelKeyDeletion only clears steps that happened before it. The fingerprint is the key
 * and the ScheduleKeyDeletion eventID, so the escalation and the resolution fold into one alert.
 */
final class KeyDestructionChainProcessor implements Processor<String, KeyEvent, String, Detection> {
    /** Steps seen on one key; {@code tier} is -1 before the chain fired. */
    record Chain(long disableMs, String disableId, String disableBy, long scheduleMs, String scheduleId,
                 String scheduleBy, int tier) {
        static final Chain EMPTY = new Chain(Long.MIN_VALUE, null, null, Long.MIN_VALUE, null, null, -1);
    }

    private final RuleContext ctx;
    private final String storeName;
    private final long windowMs;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, Chain> chains;

    KeyDestructionChainProcessor(RuleContext ctx, String storeName) {
        this.ctx = ctx;
        this.storeName = storeName;
        this.windowMs = ctx.settings().window().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        this.context = c;
        this.chains = c.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        CloudTrailEvent e = record.value().event();
        String key = e.keyArn();
        if (!e.isKms() || !e.succeeded() || key == null || StatelessDetection.sanctioned(record.value(), ctx)) {
            return;
        }
        long t = e.eventTime().toEpochMilli();
        Chain c = chains.get(key);
        c = c == null ? Chain.EMPTY : c;
        switch (e.operation()) {
            case DISABLE_KEY:
                if (t > c.disableMs()) {
                    c = new Chain(t, e.eventId(), e.principal(), c.scheduleMs(), c.scheduleId(), c.scheduleBy(), c.tier());
                }
                break;
            case SCHEDULE_KEY_DELETION:
                if (t > c.scheduleMs()) {
                    c = new Chain(c.disableMs(), c.disableId(), c.disableBy(), t, e.eventId(), e.principal(), c.tier());
                }
                break;
            case DELETE_KEY:
                if (c.tier() == 0) {
                    c = new Chain(c.disableMs(), c.disableId(), c.disableBy(), c.scheduleMs(), c.scheduleId(),
                            c.scheduleBy(), 1);
                    chains.put(key, c);
                    emit(key, c, e, record.timestamp(), false);
                }
                return;
            case ENABLE_KEY:
            case CANCEL_KEY_DELETION:
                if (t < c.disableMs() && t < c.scheduleMs()) {
                    return; // an older change arriving late: the chain it would close had not started
                }
                if (c.tier() >= 0) {
                    emit(key, c, e, record.timestamp(), true);
                }
                chains.delete(key);
                return;
            default:
                return;
        }
        chains.put(key, c);
        if (c.tier() < 0 && c.disableId() != null && c.scheduleId() != null
                && Math.abs(c.scheduleMs() - c.disableMs()) <= windowMs) {
            c = new Chain(c.disableMs(), c.disableId(), c.disableBy(), c.scheduleMs(), c.scheduleId(), c.scheduleBy(), 0);
            chains.put(key, c);
            emit(key, c, e, record.timestamp(), false);
        }
    }

    private void emit(String key, Chain c, CloudTrailEvent e, long ts, boolean resolves) {
        String region = KeyArns.regionOf(key) != null ? KeyArns.regionOf(key) : e.awsRegion();
        Severity s = c.tier() >= 1 ? Severity.CRITICAL : ctx.settings().severity();
        Instant first = Instant.ofEpochMilli(Math.min(c.disableMs(), c.scheduleMs()));
        Instant last = Instant.ofEpochMilli(Math.max(Math.max(c.disableMs(), c.scheduleMs()), e.eventTime().toEpochMilli()));
        Findings f = Findings.of(KeyDestructionChainDetection.ID, s).fingerprintOf(key, c.scheduleId())
                .key(key).account(KeyArns.accountOf(key)).region(region)
                .principal(c.scheduleBy() != null ? c.scheduleBy() : c.disableBy())
                .span(first, last).tier(c.tier()).count(c.tier() >= 1 ? 3 : 2)
                .addEvidence(c.disableId()).addEvidence(c.scheduleId()).addEvidence(e.eventId())
                .attr("disabledBy", c.disableBy()).attr("scheduledBy", c.scheduleBy()).resolves(resolves)
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Who disabled the key and scheduled its deletion? Same principal, same source IP?",
                        "Is anything still encrypted under it? Cancel the deletion first, then enable the key."),
                        Runbooks.cancelKeyDeletion(key, region), Runbooks.enableKey(key, region)));
        if (resolves) {
            f.title("Key destruction chain closed by " + e.eventName() + ": " + key)
                    .summary(e.principal() + " called " + e.eventName() + " on the key.");
        } else if (c.tier() >= 1) {
            f.title("KMS key deleted after disable and scheduled deletion: " + key)
                    .summary("The key was disabled, scheduled for deletion and has now been deleted by KMS. "
                            + "Data encrypted under it is unrecoverable.");
        } else {
            f.title("KMS key disabled and scheduled for deletion: " + key)
                    .summary("The key was disabled (by " + c.disableBy() + ") and scheduled for deletion (by "
                            + c.scheduleBy() + ") within " + ctx.settings().window().toHours() + " hours: "
                            + "the pattern of a key being destroyed, not retired.");
        }
        Detection d = f.build();
        context.forward(new Record<>(d.fingerprint(), d, ts));
    }
}
