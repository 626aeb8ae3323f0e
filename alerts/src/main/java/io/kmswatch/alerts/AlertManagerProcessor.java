package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds detections (keyed by condition key) into alerts (keyed by alert id):
 * <ul>
 *   <li>a firing of a fingerprint with no open alert, or after the open alert's suppression window
 *       (which starts at its first firing, in event time), opens a new alert;</li>
 *   <li>a firing inside the window is folded in (occurrences, count, last-seen, evidence) without a
 *       notification, unless it escalates: a higher severity, or a higher tier (which raises the
 *       severity one level); an escalation is emitted, re-routed;</li>
 *   <li>a detection with {@code resolves=true} resolves every firing alert of its condition
 *       (same detection and key), emitted to the sinks the alert went to;</li>
 *   <li>routing and silences are applied to every emitted alert.</li>
 * </ul>
 * Everything but silences runs on event time, so reprocessing the same input yields the same alerts
 * and ids. Silences use the processing wall clock, like Alertmanager's.
 */
final class AlertManagerProcessor implements Processor<String, Detection, String, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertManagerProcessor.class);
    /** How often state is scanned for alerts past retention (wall clock). */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(5);

    private final AlertsConfig config;
    private final AlertRouter router;
    private final AlertsMetrics metrics;
    private final String storeName;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, AlertBook> store;
    /** Highest detection event time this task has seen: the clock state retention runs on. */
    private Instant eventTimeHigh = Instant.MIN;

    AlertManagerProcessor(AlertsConfig config, AlertsMetrics metrics, String storeName) {
        this.config = config;
        this.router = new AlertRouter(config);
        this.metrics = metrics;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ts -> purge());
    }

    @Override
    public void process(Record<String, Detection> record) {
        Detection d = record.value();
        if (d == null || record.key() == null) {
            metrics.skipped("null-detection");
            return;
        }
        if (d.lastEventTime().isAfter(eventTimeHigh)) {
            eventTimeHigh = d.lastEventTime();
        }
        AlertBook book = store.get(record.key());
        if (book == null) {
            book = AlertBook.empty();
        }
        List<Alert> out = d.resolves() ? resolve(book, d) : fire(book, d);
        if (book.states().isEmpty()) {
            store.delete(record.key());
        } else {
            store.put(record.key(), book);
        }
        for (Alert a : out) {
            metrics.emitted(a);
            context.forward(record.withKey(a.id()).withValue(a));
        }
    }

    private List<Alert> fire(AlertBook book, Detection d) {
        Duration window = config.suppressionWindowFor(d.detection());
        Instant t = d.lastEventTime();
        AlertState s = book.states().get(d.fingerprint());
        if (s != null && s.firing() && t.isBefore(s.windowStart().plus(window))) {
            return fold(book, s, d);
        }
        if (s != null && !s.firing() && !t.isAfter(s.resolvedAt())) {
            // A firing from before the resolve, seen again (upstream redelivery): not news.
            metrics.suppressed(d.detection());
            return List.of();
        }
        String id = AlertTopology.alertId(d.fingerprint(), t);
        Alert a = Alert.from(id, d, List.of());
        a = routed(a, d.severity());
        book.states().put(d.fingerprint(), new AlertState(a, t, d.tier(), null));
        return List.of(a);
    }

    private List<Alert> fold(AlertBook book, AlertState s, Detection d) {
        Alert cur = s.alert();
        if (d.tier() <= s.maxTier() && d.lastEventTime().equals(cur.lastEventTime()) && d.count() == cur.count()) {
            // The same firing delivered twice: folding it would inflate the occurrence count.
            metrics.suppressed(d.detection());
            return List.of();
        }
        Severity severity = max(cur.severity(), d.severity());
        if (d.tier() > s.maxTier()) {
            severity = max(severity, cur.severity().escalate());
        }
        boolean escalated = severity.compareTo(cur.severity()) > 0;
        boolean newer = !d.lastEventTime().isBefore(cur.lastEventTime());
        Alert folded = new Alert(cur.id(), cur.fingerprint(), cur.detection(), severity, AlertStatus.FIRING,
                newer ? d.title() : cur.title(), newer ? d.summary() : cur.summary(),
                cur.keyArn(), cur.accountId(), cur.region(), newer && d.principal() != null ? d.principal() : cur.principal(),
                newer ? d.count() : cur.count(), cur.occurrences() + 1,
                min(cur.firstEventTime(), d.firstEventTime()), max(cur.lastEventTime(), d.lastEventTime()),
                mergeEvidence(cur.evidence(), d.evidence()), newer ? d.runbook() : cur.runbook(),
                mergeAttributes(cur.attributes(), d.attributes(), newer), cur.sinks());
        if (escalated) {
            folded = routed(folded, severity);
        }
        book.states().put(d.fingerprint(), new AlertState(folded, s.windowStart(), Math.max(s.maxTier(), d.tier()), null));
        if (!escalated) {
            metrics.suppressed(d.detection());
            return List.of();
        }
        return List.of(folded);
    }

    private List<Alert> resolve(AlertBook book, Detection d) {
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, AlertState> e : book.states().entrySet()) {
            AlertState s = e.getValue();
            if (!s.firing()) {
                continue;
            }
            Alert cur = s.alert();
            Map<String, String> attrs = new HashMap<>(cur.attributes());
            attrs.put("resolved_by", d.title());
            attrs.put("resolved_at", d.lastEventTime().toString());
            Alert resolved = new Alert(cur.id(), cur.fingerprint(), cur.detection(), cur.severity(), AlertStatus.RESOLVED,
                    cur.title(), cur.summary(), cur.keyArn(), cur.accountId(), cur.region(), cur.principal(),
                    cur.count(), cur.occurrences(), cur.firstEventTime(), max(cur.lastEventTime(), d.lastEventTime()),
                    cur.evidence(), cur.runbook(), attrs, cur.sinks());
            e.setValue(new AlertState(resolved, s.windowStart(), s.maxTier(), d.lastEventTime()));
            out.add(resolved);
        }
        if (out.isEmpty()) {
            LOG.debug("Resolve for {} ({}) matched no firing alert", d.fingerprint(), d.detection());
            metrics.skipped("unmatched-resolve");
        }
        return out;
    }

    /** The alert with its routing decision applied (at the wall clock of this task). */
    private Alert routed(Alert a, Severity severity) {
        AlertRouter.Decision decision = router.route(a, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        Map<String, String> attrs = a.attributes();
        if (decision.silenced()) {
            attrs = new HashMap<>(attrs);
            attrs.put(AlertRouter.SILENCED_BY, decision.silencedBy());
            metrics.silenced(a.detection());
        } else if (attrs.containsKey(AlertRouter.SILENCED_BY)) {
            attrs = new HashMap<>(attrs);
            attrs.remove(AlertRouter.SILENCED_BY);
        }
        return new Alert(a.id(), a.fingerprint(), a.detection(), severity, a.status(), a.title(), a.summary(),
                a.keyArn(), a.accountId(), a.region(), a.principal(), a.count(), a.occurrences(), a.firstEventTime(),
                a.lastEventTime(), a.evidence(), a.runbook(), attrs, decision.sinks());
    }

    /** Drops states past retention, on the event-time clock of this task. */
    private void purge() {
        if (eventTimeHigh.equals(Instant.MIN)) {
            return;
        }
        List<String> empty = new ArrayList<>();
        Map<String, AlertBook> changed = new HashMap<>();
        try (KeyValueIterator<String, AlertBook> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                AlertBook book = kv.value;
                boolean removed = book.states().values().removeIf(this::expired);
                if (book.states().isEmpty()) {
                    empty.add(kv.key);
                } else if (removed) {
                    changed.put(kv.key, book);
                }
            }
        }
        empty.forEach(store::delete);
        changed.forEach(store::put);
    }

    private boolean expired(AlertState s) {
        Duration window = config.suppressionWindowFor(s.alert().detection());
        Instant windowEnd = s.windowStart().plus(window);
        if (s.firing()) {
            // Kept long after its window so a late resolve (a key re-enabled days later) still finds it.
            return eventTimeHigh.isAfter(windowEnd.plus(config.stateRetention()));
        }
        // Kept one window after the resolve, to recognise a redelivered firing from before it.
        return eventTimeHigh.isAfter(max(windowEnd, s.resolvedAt()).plus(window));
    }

    private static List<String> mergeEvidence(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all.stream().limit(Detection.MAX_EVIDENCE).toList();
    }

    private static Map<String, String> mergeAttributes(Map<String, String> cur, Map<String, String> next, boolean newer) {
        Map<String, String> m = new HashMap<>(newer ? cur : next);
        m.putAll(newer ? next : cur);
        return m;
    }

    private static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
