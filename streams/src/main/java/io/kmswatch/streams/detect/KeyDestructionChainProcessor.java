package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.kmswatch.streams.state.StoreSweeper;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-key state of {@link KeyDestructionChainDetection}, built so that arrival order within the
 * grace does not matter: every rule is monotone in the set of events seen.
 * <ul>
 *   <li>A ScheduleKeyDeletion {@code s} forms a chain once any DisableKey lies within {@code window}
 *       of it (before or after). Fingerprint: key and {@code s}'s eventID.</li>
 *   <li>A chain is resolved once any EnableKey/CancelKeyDeletion later than {@code s} is known.</li>
 *   <li>DeleteKey escalates the latest unresolved chain scheduled before it (tier 1, critical).</li>
 * </ul>
 * Steps are kept for window + grace (older steps cannot pair with events still accepted); fired chains
 * for 31 days, the longest deletion window plus a day, so DeleteKey finds them. A key with nothing left is
 * deleted from the store: on its next lifecycle call, or by a sweep (a slice of the store each hour of stream
 * time) when no call comes.
 */
final class KeyDestructionChainProcessor implements Processor<String, KeyEvent, String, Detection> {
    /** One DisableKey, ScheduleKeyDeletion or closing call. */
    record Step(long t, String id, String by) {
    }

    /** A chain that fired, anchored on its schedule. */
    record Fired(Step schedule, Step disable, boolean resolved, boolean escalated) {
    }

    /** Everything known about one key. */
    record Chains(List<Step> disables, List<Step> schedules, List<Step> closes, List<Fired> fired) {
        static Chains empty() {
            return new Chains(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    private static final long FIRED_RETENTION_MS = Duration.ofDays(31).toMillis();
    private final RuleContext ctx;
    private final String storeName;
    private final long windowMs;
    private final long keepMs;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, Chains> store;

    KeyDestructionChainProcessor(RuleContext ctx, String storeName) {
        this.ctx = ctx;
        this.storeName = storeName;
        this.windowMs = ctx.settings().window().toMillis();
        this.keepMs = windowMs + ctx.grace().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        this.context = c;
        this.store = c.getStateStore(storeName);
        StoreSweeper<Chains> sweeper = new StoreSweeper<>(store, (k, chains, now) -> pruned(chains, now),
                NoveltyProcessor.SWEEP_SLICE);
        c.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, sweeper::sweep);
    }

    /** {@code c} without what is too old at stream time {@code now}: the same instance when nothing is, null when nothing is left. */
    private Chains pruned(Chains c, long now) {
        long horizon = now - keepMs;
        long firedHorizon = now - FIRED_RETENTION_MS;
        boolean stale = c.disables().stream().anyMatch(s -> s.t() < horizon)
                || c.schedules().stream().anyMatch(s -> s.t() < horizon)
                || c.closes().stream().anyMatch(s -> s.t() < horizon)
                || c.fired().stream().anyMatch(f -> f.schedule().t() < firedHorizon);
        if (!stale) {
            return c.disables().isEmpty() && c.schedules().isEmpty() && c.closes().isEmpty() && c.fired().isEmpty()
                    ? null : c;
        }
        Chains p = new Chains(new ArrayList<>(c.disables()), new ArrayList<>(c.schedules()),
                new ArrayList<>(c.closes()), new ArrayList<>(c.fired()));
        p.disables().removeIf(s -> s.t() < horizon);
        p.schedules().removeIf(s -> s.t() < horizon);
        p.closes().removeIf(s -> s.t() < horizon);
        p.fired().removeIf(f -> f.schedule().t() < firedHorizon);
        return p.disables().isEmpty() && p.schedules().isEmpty() && p.closes().isEmpty() && p.fired().isEmpty()
                ? null : p;
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        CloudTrailEvent e = record.value().event();
        String key = e.keyArn();
        if (!e.isKms() || !e.succeeded() || key == null || StatelessDetection.sanctioned(record.value(), ctx)) {
            return;
        }
        switch (e.operation()) {
            case DISABLE_KEY, SCHEDULE_KEY_DELETION, ENABLE_KEY, CANCEL_KEY_DELETION, DELETE_KEY -> { }
            default -> {
                return; // most traffic is cryptographic: leave the store alone
            }
        }
        Step step = new Step(e.eventTime().toEpochMilli(), e.eventId(), e.principal());
        Chains stored = store.get(key);
        Chains c = stored == null ? Chains.empty() : new Chains(new ArrayList<>(stored.disables()),
                new ArrayList<>(stored.schedules()), new ArrayList<>(stored.closes()), new ArrayList<>(stored.fired()));
        switch (e.operation()) {
            case DISABLE_KEY -> c.disables().add(step);
            case SCHEDULE_KEY_DELETION -> c.schedules().add(step);
            case ENABLE_KEY, CANCEL_KEY_DELETION -> c.closes().add(step);
            case DELETE_KEY -> escalate(key, c, e, record.timestamp());
            default -> {
                return;
            }
        }
        formChains(key, c, e, record.timestamp());
        resolveChains(key, c, e, record.timestamp());
        Chains kept = pruned(c, context.currentStreamTimeMs());
        if (kept == null) {
            if (stored != null) {
                store.delete(key); // nothing left to pair or escalate: no empty entry per key forever
            }
        } else {
            store.put(key, kept);
        }
    }

    private void formChains(String key, Chains c, CloudTrailEvent e, long ts) {
        for (Step s : c.schedules()) {
            if (c.fired().stream().anyMatch(f -> f.schedule().id().equals(s.id()))) {
                continue;
            }
            Step pair = null;
            for (Step d : c.disables()) {
                if (Math.abs(d.t() - s.t()) <= windowMs && (pair == null || d.t() < pair.t())) {
                    pair = d;
                }
            }
            if (pair != null) {
                Fired f = new Fired(s, pair, false, false);
                c.fired().add(f);
                emit(key, f, 0, false, e, ts);
            }
        }
    }

    private void resolveChains(String key, Chains c, CloudTrailEvent e, long ts) {
        for (int i = 0; i < c.fired().size(); i++) {
            Fired f = c.fired().get(i);
            if (!f.resolved() && c.closes().stream().anyMatch(close -> close.t() > f.schedule().t())) {
                Fired r = new Fired(f.schedule(), f.disable(), true, f.escalated());
                c.fired().set(i, r);
                emit(key, r, f.escalated() ? 1 : 0, true, e, ts);
            }
        }
    }

    private void escalate(String key, Chains c, CloudTrailEvent e, long ts) {
        Fired latest = null;
        for (Fired f : c.fired()) {
            if (!f.resolved() && !f.escalated() && f.schedule().t() <= e.eventTime().toEpochMilli()
                    && (latest == null || f.schedule().t() > latest.schedule().t())) {
                latest = f;
            }
        }
        if (latest != null) {
            Fired up = new Fired(latest.schedule(), latest.disable(), false, true);
            c.fired().set(c.fired().indexOf(latest), up);
            emit(key, up, 1, false, e, ts);
        }
    }

    private void emit(String key, Fired f, int tier, boolean resolves, CloudTrailEvent e, long ts) {
        String region = KeyArns.regionOf(key) != null ? KeyArns.regionOf(key) : e.awsRegion();
        Step s = f.schedule();
        Step d = f.disable();
        Findings out = Findings.of(KeyDestructionChainDetection.ID, tier >= 1 ? Severity.CRITICAL : ctx.settings().severity())
                .fingerprintOf(key, s.id()).key(key).account(KeyArns.accountOf(key)).region(region).principal(s.by())
                .span(Instant.ofEpochMilli(Math.min(s.t(), d.t())), Instant.ofEpochMilli(Math.max(s.t(), d.t())))
                .tier(tier).count(tier + 2).addEvidence(d.id()).addEvidence(s.id()).addEvidence(e.eventId())
                .attr("disabledBy", d.by()).attr("scheduledBy", s.by()).resolves(resolves)
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Who disabled the key and scheduled its deletion? Same principal, same source IP?",
                        "Is anything still encrypted under it? Cancel the deletion first, then enable the key."),
                        Runbooks.cancelKeyDeletion(key, region), Runbooks.enableKey(key, region)));
        if (resolves) {
            out.title("Key destruction chain closed: " + key).summary(e.principal() + " called " + e.eventName()
                    + " on the key after its deletion was scheduled.");
        } else if (tier >= 1) {
            out.title("KMS key deleted after disable and scheduled deletion: " + key)
                    .summary("The key was disabled, scheduled for deletion and has now been deleted by KMS. "
                            + "Data encrypted under it is unrecoverable.");
        } else {
            out.title("KMS key disabled and scheduled for deletion: " + key)
                    .summary("The key was disabled (by " + d.by() + ") and scheduled for deletion (by " + s.by()
                            + ") within " + ctx.settings().window().toHours() + " hours: the pattern of a key being "
                            + "destroyed, not retired.");
        }
        Detection det = out.build();
        context.forward(new Record<>(det.fingerprint(), det, ts));
    }
}
