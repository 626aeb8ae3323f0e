package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The correlation rules of a {@link RuleSet} as window logic on event time, with all state in a
 * {@link CorrelationStore}. Deterministic: the same hits give the same firings whatever their arrival order, as
 * long as each arrives within the grace.
 *
 * <p>Semantics (where the specification is silent):
 * <ul>
 * <li>A hit waits until stream time passes its event time plus the grace; hits are then released into their
 *     group's window in (event time, eventID) order, so reordering within the grace changes nothing.</li>
 * <li>Windows slide: the window of a released hit holds the hits of its group at most {@code timespan} before
 *     it (inclusive: hits exactly {@code timespan} apart are together, 1 ms more and they are not).</li>
 * <li>A condition without an upper bound (gt, gte, neq; temporal and temporal_ordered without a condition)
 *     fires as soon as it holds; one with an upper bound (lt, lte, eq) is judged once a window starting at its
 *     oldest hit is complete. The hits of a firing are consumed: they count towards no other firing.</li>
 * <li>A hit whose event lacks a group-by field (or has it null) takes no part in that correlation, as
 *     {@code stats … by field} drops such events.</li>
 * <li>temporal_ordered: the rules must match in the listed order; hits with equal event times count as ordered
 *     either way (CloudTrail times have one-second resolution).</li>
 * <li>value_percentile: the condition compares the given percentile (nearest rank) of the field's numeric
 *     values; 50 (the median) unless {@code condition.percentile} says otherwise.</li>
 * <li>Chaining: a correlation that fires becomes a hit (at its last event time, carrying its group-by values)
 *     for the correlations that reference it. A correlation alerts when no other references it, or one that
 *     does says {@code generate: true}.</li>
 * </ul>
 *
 * <p>Not thread-safe; one instance per stream task (it caches when the next window is due).
 */
public final class CorrelationEngine {
    /** One hit of a correlation's referenced rule, routed to the window of its group. */
    public record Hit(String top, String corr, int rule, long time, String eventId, List<String> group, String value) {
        public Hit {
            Objects.requireNonNull(top, "top");
            Objects.requireNonNull(corr, "corr");
            Objects.requireNonNull(eventId, "eventId");
            group = List.copyOf(group);
        }
    }

    /** A hit and the key that keeps every hit of its alerting correlation's group together (the partition key). */
    public record Routed(String partitionKey, Hit hit) {
    }

    /**
     * A correlation that fired.
     *
     * @param correlation the correlation
     * @param group       group-by field → value
     * @param aggregate   the value the condition compared (count, distinct values, sum, average, percentile, rules)
     * @param eventIds    the eventIDs of the hits consumed, in event-time order
     * @param alerting    true when this firing is an alert (not only a hit for a chained correlation)
     */
    public record Firing(SigmaCorrelation correlation, Map<String, String> group, long firstTime, long lastTime,
                         int count, double aggregate, List<String> eventIds, boolean alerting) {
        public Firing {
            group = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(group));
            eventIds = List.copyOf(eventIds);
        }
    }

    private record Target(SigmaCorrelation top, SigmaCorrelation corr, int rule) {
    }

    private final long grace;
    private final Map<String, SigmaCorrelation> byId = new HashMap<>();
    private final Map<SigmaRule, List<Target>> byRule = new IdentityHashMap<>();
    /** (top id, child correlation id) → the parents in that top's tree. */
    private final Map<String, List<Target>> parents = new HashMap<>();
    private final Set<SigmaRule> feeding = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private long nextDue = Long.MIN_VALUE;
    private boolean dueKnown;
    private long late;

    /**
     * @param grace how late (in event time) a hit may arrive and still count
     */
    public CorrelationEngine(RuleSet set, Duration grace) {
        this.grace = grace.toMillis();
        Map<String, Object> refs = set.byReference();
        Set<SigmaCorrelation> referencedOnly = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<SigmaCorrelation> generated = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (SigmaCorrelation c : set.correlations()) {
            byId.put(c.ruleId(), c);
            for (String r : c.rules()) {
                if (refs.get(r) instanceof SigmaCorrelation child) {
                    (c.generate() ? generated : referencedOnly).add(child);
                }
            }
        }
        for (SigmaCorrelation top : set.correlations()) {
            if (referencedOnly.contains(top) && !generated.contains(top)) {
                continue;
            }
            Deque<SigmaCorrelation> todo = new ArrayDeque<>(List.of(top));
            Set<SigmaCorrelation> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            while (!todo.isEmpty()) {
                SigmaCorrelation c = todo.pop();
                if (!seen.add(c)) {
                    continue;
                }
                for (int i = 0; i < c.rules().size(); i++) {
                    Object target = refs.get(c.rules().get(i));
                    if (target instanceof SigmaRule r) {
                        byRule.computeIfAbsent(r, k -> new ArrayList<>()).add(new Target(top, c, i));
                        feeding.add(r);
                    } else if (target instanceof SigmaCorrelation child) {
                        parents.computeIfAbsent(top.ruleId() + "\u0000" + child.ruleId(), k -> new ArrayList<>())
                                .add(new Target(top, c, i));
                        todo.push(child);
                    }
                }
            }
        }
    }

    /** True when there are no correlations. */
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** True when matches of this rule feed some correlation. */
    public boolean feeds(SigmaRule rule) {
        return feeding.contains(rule);
    }

    /** Hits dropped because they arrived after stream time had passed their event time plus the grace. */
    public long lateHits() {
        return late;
    }

    /**
     * The hits one match of {@code rule} makes, each with the key that keeps its group together; none when the
     * rule feeds no correlation or the record lacks a group-by field.
     */
    public List<Routed> route(SigmaRule rule, JsonNode record, long time, String eventId) {
        List<Target> targets = byRule.get(rule);
        if (targets == null) {
            return List.of();
        }
        List<Routed> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            SigmaCorrelation c = t.corr();
            List<String> group = new ArrayList<>(c.groupBy().size());
            boolean missing = false;
            for (String g : c.groupBy()) {
                String v = first(record, fieldOf(c, g, rule.info()));
                if (v == null) {
                    missing = true;
                    break;
                }
                group.add(v);
            }
            if (missing) {
                continue;
            }
            String value = c.field() == null ? null : first(record, fieldOf(c, c.field(), rule.info()));
            Hit hit = new Hit(t.top().ruleId(), c.ruleId(), t.rule(), time, eventId, group, value);
            out.add(new Routed(partitionKey(t.top(), c, group), hit));
        }
        return out;
    }

    private static String fieldOf(SigmaCorrelation c, String name, RuleInfo rule) {
        Map<String, String> m = c.aliases().get(name);
        if (m != null) {
            for (String ref : new String[] {rule.name(), rule.id()}) {
                if (ref != null && m.containsKey(ref)) {
                    return m.get(ref);
                }
            }
        }
        return name;
    }

    private static String first(JsonNode record, String field) {
        for (JsonNode v : new FieldPath(field).values(record)) {
            String t = FieldPath.text(v);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private String partitionKey(SigmaCorrelation top, SigmaCorrelation corr, List<String> group) {
        SigmaCorrelation c = corr;
        List<String> values = group;
        while (c != top) {
            List<Target> ps = parents.get(top.ruleId() + "\u0000" + c.ruleId());
            Target p = ps.get(0);
            values = lift(p.corr(), p.corr().rules().get(p.rule()), c, values);
            if (values == null) {
                return top.ruleId() + "\u0000";
            }
            c = p.corr();
        }
        return top.ruleId() + "\u0000" + String.join("\u0000", values);
    }

    /** The parent's group-by values from a child correlation's (null when one is not among the child's). */
    private static List<String> lift(SigmaCorrelation parent, String childRef, SigmaCorrelation child,
                                     List<String> childGroup) {
        List<String> out = new ArrayList<>();
        for (String g : parent.groupBy()) {
            String name = g;
            Map<String, String> m = parent.aliases().get(g);
            if (m != null) {
                for (String ref : new String[] {childRef, child.info().name(), child.info().id()}) {
                    if (ref != null && m.containsKey(ref)) {
                        name = m.get(ref);
                        break;
                    }
                }
            }
            int i = child.groupBy().indexOf(name);
            if (i < 0) {
                return null;
            }
            out.add(childGroup.get(i));
        }
        return out;
    }

    private static String key(String top, String corr, List<String> group) {
        return top + "\u0000" + corr + "\u0000" + String.join("\u0000", group);
    }

    /**
     * Adds one hit and releases whatever stream time makes final.
     *
     * @param streamTime the newest event time seen (this hit's included)
     * @return the firings, in release order
     */
    public List<Firing> accept(Hit hit, long streamTime, CorrelationStore store) {
        if (hit.time() < streamTime - grace) {
            late++;
            return advance(streamTime, store);
        }
        SigmaCorrelation c = byId.get(hit.corr());
        if (c == null) {
            return advance(streamTime, store); // a rule removed since the hit was routed
        }
        add(store, hit);
        return advance(streamTime, store);
    }

    private void add(CorrelationStore store, Hit hit) {
        String k = key(hit.top(), hit.corr(), hit.group());
        GroupState s = store.get(k);
        if (s == null) {
            s = new GroupState(hit.top(), hit.corr(), hit.group(), List.of(), List.of());
        }
        List<GroupState.Entry> pending = s.pendingCopy();
        pending.add(new GroupState.Entry(hit.time(), hit.rule(), hit.eventId(), hit.value()));
        store.put(k, s.with(pending, s.window()));
        long due = hit.time() + grace;
        if (dueKnown && due < nextDue) {
            nextDue = due;
        }
    }

    /**
     * Releases every hit whose event time plus the grace stream time has passed, and judges complete windows.
     *
     * @return the firings, in release order
     */
    public List<Firing> advance(long streamTime, CorrelationStore store) {
        if (dueKnown && streamTime < nextDue) {
            return List.of();
        }
        long fin = streamTime - grace;
        List<Firing> out = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>();
        store.forEach((k, s) -> all.add(k));
        Set<String> dirty = all;
        while (!dirty.isEmpty()) {
            Set<String> next = new LinkedHashSet<>();
            for (String k : dirty) {
                GroupState s = store.get(k);
                if (s == null) {
                    continue;
                }
                SigmaCorrelation c = byId.get(s.corr());
                if (c == null) {
                    store.put(k, null);
                    continue;
                }
                GroupState after = process(c, s, fin, out, next, store);
                store.put(k, after.isEmpty() ? null : after);
            }
            dirty = next;
        }
        // when anything is next due: the earliest pending hit's release, or a window-end judgement
        long[] min = {Long.MAX_VALUE};
        store.forEach((k, s) -> {
            SigmaCorrelation c = byId.get(s.corr());
            for (GroupState.Entry e : s.pending()) {
                min[0] = Math.min(min[0], e.time() + grace);
            }
            if (c != null && !s.window().isEmpty()) {
                long first = s.window().get(0).time();
                min[0] = Math.min(min[0], first + c.timespan().toMillis() + grace);
            }
        });
        nextDue = min[0];
        dueKnown = true;
        return out;
    }

    private GroupState process(SigmaCorrelation c, GroupState s, long fin, List<Firing> out, Set<String> dirty,
                               CorrelationStore store) {
        List<GroupState.Entry> pending = new ArrayList<>();
        List<GroupState.Entry> release = new ArrayList<>();
        for (GroupState.Entry e : s.pending()) {
            (e.time() <= fin ? release : pending).add(e);
        }
        release.sort(GroupState.Entry.ORDER);
        List<GroupState.Entry> window = new ArrayList<>(s.window());
        long span = c.timespan().toMillis();
        boolean atEnd = c.judgedAtWindowEnd();
        for (GroupState.Entry e : release) {
            int at = window.size();
            while (at > 0 && GroupState.Entry.ORDER.compare(window.get(at - 1), e) > 0) {
                at--;
            }
            window.add(at, e);
            if (atEnd) {
                continue;
            }
            long newest = window.get(window.size() - 1).time();
            window.removeIf(w -> w.time() < newest - span);
            Double agg = aggregate(c, window);
            if (holds(c, agg)) {
                fire(c, s, window, agg, out, dirty, store);
                window.clear();
            }
        }
        if (atEnd) {
            while (!window.isEmpty() && window.get(0).time() + span <= fin) {
                long end = window.get(0).time() + span;
                List<GroupState.Entry> w = new ArrayList<>();
                for (GroupState.Entry e : window) {
                    if (e.time() <= end) {
                        w.add(e);
                    }
                }
                Double agg = aggregate(c, w);
                if (holds(c, agg)) {
                    fire(c, s, w, agg, out, dirty, store);
                    window.removeAll(w);
                } else {
                    window.remove(0);
                }
            }
        } else {
            window.removeIf(w -> w.time() < fin - span);
        }
        return s.with(pending, window);
    }

    private void fire(SigmaCorrelation c, GroupState s, List<GroupState.Entry> w, Double agg, List<Firing> out,
                      Set<String> dirty, CorrelationStore store) {
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < c.groupBy().size(); i++) {
            group.put(c.groupBy().get(i), s.group().get(i));
        }
        // temporal_ordered: the evidence is the ordered chain, not every hit the window held
        List<GroupState.Entry> used = c.type() == SigmaCorrelation.Type.TEMPORAL_ORDERED ? orderedChain(w) : w;
        List<String> ids = new ArrayList<>();
        used.forEach(e -> ids.add(e.eventId()));
        long first = used.get(0).time();
        long last = used.get(used.size() - 1).time();
        boolean alerting = c.ruleId().equals(s.top());
        out.add(new Firing(c, group, first, last, used.size(), agg, ids, alerting));
        if (alerting) {
            return;
        }
        for (Target p : parents.getOrDefault(s.top() + "\u0000" + c.ruleId(), List.of())) {
            List<String> pg = lift(p.corr(), p.corr().rules().get(p.rule()), c, s.group());
            if (pg == null) {
                continue;
            }
            Hit h = new Hit(s.top(), p.corr().ruleId(), p.rule(), last, c.ruleId() + "@" + first, pg, null);
            add(store, h);
            dirty.add(key(h.top(), h.corr(), h.group()));
        }
    }

    private static boolean holds(SigmaCorrelation c, Double agg) {
        if (agg == null) {
            return false;
        }
        if (c.condition().isEmpty()) {
            return agg >= c.rules().size();
        }
        return c.holds(agg);
    }

    /** The number the condition compares, or null when the window gives none (no numeric values). */
    static Double aggregate(SigmaCorrelation c, List<GroupState.Entry> w) {
        switch (c.type()) {
            case EVENT_COUNT:
                return (double) w.size();
            case VALUE_COUNT: {
                Set<String> d = new HashSet<>();
                w.forEach(e -> {
                    if (e.value() != null) {
                        d.add(e.value());
                    }
                });
                return (double) d.size();
            }
            case TEMPORAL: {
                Set<Integer> d = new HashSet<>();
                w.forEach(e -> d.add(e.rule()));
                return (double) d.size();
            }
            case TEMPORAL_ORDERED:
                return (double) orderedPrefix(w);
            default: {
                List<Double> nums = new ArrayList<>();
                for (GroupState.Entry e : w) {
                    Double d = Items.parseNumber(e.value());
                    if (d != null) {
                        nums.add(d);
                    }
                }
                if (nums.isEmpty()) {
                    return null;
                }
                double sum = 0;
                for (double d : nums) {
                    sum += d;
                }
                if (c.type() == SigmaCorrelation.Type.VALUE_SUM) {
                    return sum;
                }
                if (c.type() == SigmaCorrelation.Type.VALUE_AVG) {
                    return sum / nums.size();
                }
                nums.sort(Double::compare);
                int rank = (int) Math.ceil(c.percentile() / 100.0 * nums.size());
                return nums.get(Math.max(0, rank - 1));
            }
        }
    }

    /** How many of the rules, from the first, the window holds in order (equal times in either order). */
    static int orderedPrefix(List<GroupState.Entry> w) {
        return orderedChain(w).size();
    }

    /** The hits that make the longest ordered prefix of the rules (equal times in either order). */
    static List<GroupState.Entry> orderedChain(List<GroupState.Entry> w) {
        List<GroupState.Entry> chain = new ArrayList<>();
        int next = 0;
        int i = 0;
        while (i < w.size()) {
            int j = i;
            while (j < w.size() && w.get(j).time() == w.get(i).time()) {
                j++;
            }
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int k = i; k < j; k++) {
                    if (w.get(k).rule() == next) {
                        chain.add(w.get(k));
                        next++;
                        progress = true;
                    }
                }
            }
            i = j;
        }
        chain.sort(GroupState.Entry.ORDER);
        return chain;
    }
}
