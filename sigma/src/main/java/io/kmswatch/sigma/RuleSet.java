package io.kmswatch.sigma;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A compiled, validated set of Sigma rules: detection rules (with their filters applied) and correlations. Built
 * once; matching a record is thread-safe and allocates nothing for a record that no rule can match.
 *
 * <p>Index: a rule whose condition requires particular {@code eventName} values (or, failing that,
 * {@code eventSource} values) is tried only on records with one of them; other rules are tried on every record.
 * A candidate rule that reads only fields the codec has read ({@link CodecFields}) is evaluated on them, when
 * the record's are verbatim, without touching its bytes. Any other candidate first looks for its literal texts
 * in the record's lowercased bytes (made once per record);
 * only then is the record parsed, and only as far as the rules' field names reach ({@link PathSelector}; a
 * keyword search reads the whole record).
 */
public final class RuleSet {
    private final List<SigmaRule> rules;
    private final List<SigmaCorrelation> correlations;
    private final List<SigmaFilter> filters;
    private final List<String> warnings;
    private final Map<String, SigmaRule[]> byName;
    private final Map<String, SigmaRule[]> bySource;
    private final SigmaRule[] everywhere;
    /** Reads what the rules that name their fields read (every rule but keyword searches). */
    private final PathSelector selector;
    /** The codec's fields that the rules it serves read, or null when it serves none. */
    private final CodecFields codecFields;

    private RuleSet(List<SigmaRule> rules, List<SigmaCorrelation> correlations, List<SigmaFilter> filters,
                    List<String> warnings) {
        this.rules = List.copyOf(rules);
        this.correlations = List.copyOf(correlations);
        this.filters = List.copyOf(filters);
        this.warnings = List.copyOf(warnings);
        Map<String, List<SigmaRule>> names = new HashMap<>();
        Map<String, List<SigmaRule>> sources = new HashMap<>();
        List<SigmaRule> rest = new ArrayList<>();
        for (SigmaRule r : rules) {
            Set<String> n = r.condition().required("eventName");
            Set<String> s = n == null ? r.condition().required("eventSource") : null;
            if (n != null) {
                n.forEach(v -> names.computeIfAbsent(v, k -> new ArrayList<>()).add(r));
            } else if (s != null) {
                s.forEach(v -> sources.computeIfAbsent(v, k -> new ArrayList<>()).add(r));
            } else {
                rest.add(r);
            }
        }
        this.byName = freeze(names);
        this.bySource = freeze(sources);
        this.everywhere = rest.toArray(new SigmaRule[0]);
        Set<String> fields = new HashSet<>();
        for (SigmaRule r : rules) {
            if (r.fields() != null) {
                fields.addAll(r.fields());
            }
        }
        this.selector = new PathSelector(fields);
        Set<String> codec = new java.util.TreeSet<>();
        for (SigmaRule r : rules) {
            if (r.codecServed()) {
                codec.addAll(r.fields());
            }
        }
        this.codecFields = codec.isEmpty() ? null : new CodecFields(codec);
    }

    private static Map<String, SigmaRule[]> freeze(Map<String, List<SigmaRule>> m) {
        Map<String, SigmaRule[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.toArray(new SigmaRule[0])));
        return out;
    }

    /** No rules. */
    public static RuleSet empty() {
        return new RuleSet(List.of(), List.of(), List.of(), List.of());
    }

    /**
     * Loads rule files and directories (every {@code .yml}/{@code .yaml} below them, in name order).
     *
     * @throws SigmaException when a rule cannot be run (every problem listed) and the options are not lenient,
     *                        or a directory cannot be listed
     */
    public static RuleSet load(List<Path> paths, LoadOptions options) {
        RuleLoader loader = new RuleLoader(options);
        for (Path f : RuleLoader.expand(paths)) {
            loader.loadFile(f);
        }
        return build(loader, options);
    }

    /**
     * Compiles rules from YAML text ({@code file} names it in problems).
     *
     * @throws SigmaException when a rule cannot be run and the options are not lenient
     */
    public static RuleSet parse(String yaml, String file, LoadOptions options) {
        RuleLoader loader = new RuleLoader(options);
        loader.loadText(yaml, file);
        return build(loader, options);
    }

    /** Every problem in the given files, without throwing (for {@code kmswatch rules check}). */
    public static List<RuleProblem> check(List<Path> paths, LoadOptions options) {
        try {
            load(paths, new LoadOptions(false, options.placeholders()));
            return List.of();
        } catch (SigmaException e) {
            if (e.problems().isEmpty()) {
                return List.of(new RuleProblem(String.valueOf(paths), 1, "?", e.getMessage()));
            }
            return e.problems();
        }
    }

    private static RuleSet build(RuleLoader l, LoadOptions options) {
        List<RuleProblem> problems = new ArrayList<>(l.problems);
        Map<String, Object> byRef = new HashMap<>();
        Map<Object, RuleLoader.Doc> docs = new HashMap<>();
        for (RuleLoader.Parsed p : l.detections) {
            register(byRef, docs, p.info(), p, p.doc(), problems);
        }
        for (RuleLoader.ParsedCorrelation c : l.correlations) {
            register(byRef, docs, c.correlation().info(), c, c.doc(), problems);
        }
        // rules without id or name can be neither referenced nor named in an alert
        for (RuleLoader.Parsed p : l.detections) {
            if (p.info().ruleId() == null) {
                problems.add(problem(p.doc(), "id", p.info(), "has no id or name (its alerts are named sigma:<id>)"));
            }
        }
        // correlations: references resolve, no cycles, group-by aliases name referenced rules
        Set<Object> bad = new HashSet<>();
        for (RuleLoader.ParsedCorrelation pc : l.correlations) {
            SigmaCorrelation c = pc.correlation();
            if (c.ruleId() == null) {
                problems.add(problem(pc.doc(), "correlation", c.info(), "has no id or name"));
                bad.add(pc);
            }
            for (String ref : c.rules()) {
                if (!byRef.containsKey(ref)) {
                    problems.add(problem(pc.doc(), ref, c.info(), "references unknown rule '" + ref + "'"));
                    bad.add(pc);
                }
            }
            for (var alias : c.aliases().entrySet()) {
                for (String ruleRef : alias.getValue().keySet()) {
                    if (!c.rules().contains(ruleRef) && !refersTo(c, ruleRef, byRef)) {
                        problems.add(problem(pc.doc(), ruleRef, c.info(), "alias '" + alias.getKey()
                                + "' names rule '" + ruleRef + "', which the correlation does not reference"));
                        bad.add(pc);
                    }
                }
            }
        }
        for (RuleLoader.ParsedCorrelation pc : l.correlations) {
            SigmaCorrelation c = pc.correlation();
            for (String ref : c.rules()) {
                if (!(byRef.get(ref) instanceof RuleLoader.ParsedCorrelation child)) {
                    continue;
                }
                if (c.type().needsField()) {
                    problems.add(problem(pc.doc(), ref, c.info(), c.type().value() + " aggregates a field of events: it "
                            + "must reference detection rules, not correlation '" + ref + "'"));
                    bad.add(pc);
                }
                for (String g : c.groupBy()) {
                    String name = g;
                    Map<String, String> m = c.aliases().get(g);
                    if (m != null) {
                        for (String r : new String[] {ref, child.correlation().info().name(), child.correlation().info().id()}) {
                            if (r != null && m.containsKey(r)) {
                                name = m.get(r);
                                break;
                            }
                        }
                    }
                    if (!child.correlation().groupBy().contains(name)) {
                        problems.add(problem(pc.doc(), "group-by", c.info(), "group-by '" + g + "' is not among the "
                                + "group-by of correlation '" + ref + "' (a chained correlation groups by what the "
                                + "correlations it references group by)"));
                        bad.add(pc);
                    }
                }
            }
        }
        for (RuleLoader.ParsedCorrelation pc : l.correlations) {
            if (cycle(pc, byRef, new HashSet<>())) {
                problems.add(problem(pc.doc(), "rules", pc.correlation().info(), "correlations reference each other in a cycle"));
                bad.add(pc);
            }
        }
        problems.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line())
                : a.file().compareTo(b.file()));
        if (!problems.isEmpty() && !options.lenient()) {
            throw new SigmaException(problems);
        }
        List<String> warnings = new ArrayList<>();
        problems.forEach(p -> warnings.add("skipped: " + p));
        // lenient: correlations whose references were skipped are skipped too, to a fixed point
        Set<String> okRefs = new HashSet<>();
        for (RuleLoader.Parsed p : l.detections) {
            if (p.info().ruleId() != null) {
                addRefs(okRefs, p.info());
            }
        }
        List<SigmaCorrelation> corrs = new ArrayList<>();
        boolean changed = true;
        List<RuleLoader.ParsedCorrelation> pending = new ArrayList<>();
        for (RuleLoader.ParsedCorrelation pc : l.correlations) {
            if (!bad.contains(pc)) {
                pending.add(pc);
            }
        }
        while (changed) {
            changed = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                RuleLoader.ParsedCorrelation pc = it.next();
                if (okRefs.containsAll(pc.correlation().rules())) {
                    corrs.add(pc.correlation());
                    addRefs(okRefs, pc.correlation().info());
                    it.remove();
                    changed = true;
                }
            }
        }
        for (RuleLoader.ParsedCorrelation pc : pending) {
            warnings.add("skipped: " + problem(pc.doc(), "rules", pc.correlation().info(),
                    "references a rule that was skipped"));
        }
        // filters: applied to the rules they name (by id or name); a name that is not loaded is a warning
        Map<String, List<Expr>> filterExprs = new HashMap<>();
        List<SigmaFilter> filters = new ArrayList<>();
        for (RuleLoader.ParsedFilter f : l.filters) {
            filters.add(f.filter());
            for (String ref : f.filter().rules()) {
                if (!(byRef.get(ref) instanceof RuleLoader.Parsed)) {
                    warnings.add(f.doc().file() + ":" + f.doc().line() + ": filter '" + f.filter().info().label()
                            + "' names rule '" + ref + "', which is not loaded");
                }
                filterExprs.computeIfAbsent(ref, k -> new ArrayList<>()).add(f.condition());
            }
        }
        Set<String> referencedOnly = new HashSet<>();
        Set<String> generated = new HashSet<>();
        for (SigmaCorrelation c : corrs) {
            (c.generate() ? generated : referencedOnly).addAll(c.rules());
        }
        List<SigmaRule> rules = new ArrayList<>();
        for (RuleLoader.Parsed p : l.detections) {
            RuleInfo i = p.info();
            if (i.ruleId() == null) {
                continue;
            }
            List<Expr> fs = new ArrayList<>();
            Set<Expr> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (String ref : refs(i)) {
                for (Expr e : filterExprs.getOrDefault(ref, List.of())) {
                    if (seen.add(e)) {
                        fs.add(e);
                    }
                }
            }
            boolean inCorrelation = refs(i).stream().anyMatch(referencedOnly::contains);
            boolean generate = refs(i).stream().anyMatch(generated::contains);
            rules.add(new SigmaRule(i, p.condition(), fs, !inCorrelation || generate, rules.size()));
        }
        return new RuleSet(rules, corrs, filters, warnings);
    }

    private static boolean refersTo(SigmaCorrelation c, String ruleRef, Map<String, Object> byRef) {
        Object target = byRef.get(ruleRef);
        for (String r : c.rules()) {
            if (byRef.get(r) == target && target != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean cycle(RuleLoader.ParsedCorrelation pc, Map<String, Object> byRef, Set<Object> path) {
        if (!path.add(pc)) {
            return true;
        }
        for (String ref : pc.correlation().rules()) {
            if (byRef.get(ref) instanceof RuleLoader.ParsedCorrelation next && cycle(next, byRef, path)) {
                return true;
            }
        }
        path.remove(pc);
        return false;
    }

    private static List<String> refs(RuleInfo i) {
        List<String> r = new ArrayList<>(2);
        if (i.id() != null) {
            r.add(i.id());
        }
        if (i.name() != null) {
            r.add(i.name());
        }
        return r;
    }

    private static void addRefs(Set<String> s, RuleInfo i) {
        s.addAll(refs(i));
    }

    private static void register(Map<String, Object> byRef, Map<Object, RuleLoader.Doc> docs, RuleInfo info,
                                 Object rule, RuleLoader.Doc doc, List<RuleProblem> problems) {
        for (String ref : refs(info)) {
            Object prev = byRef.putIfAbsent(ref, rule);
            if (prev != null) {
                problems.add(problem(doc, ref, info, "'" + ref + "' is already the id or name of another rule ("
                        + docs.get(prev).file() + ":" + docs.get(prev).line() + ")"));
            }
        }
        docs.put(rule, doc);
    }

    private static RuleProblem problem(RuleLoader.Doc doc, String near, RuleInfo info, String reason) {
        return new RuleProblem(doc.file(), doc.lineOf(near), info.label(), reason);
    }

    /** Detection rules in load order (standalone ones and those that only feed correlations). */
    public List<SigmaRule> rules() {
        return rules;
    }

    public List<SigmaCorrelation> correlations() {
        return correlations;
    }

    public List<SigmaFilter> filters() {
        return filters;
    }

    /** What lenient loading skipped, and filters naming rules that are not loaded; one line each. */
    public List<String> warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Calls {@code onMatch} for every detection rule the record matches, in load order within each index bucket. */
    public void forEachMatch(SigmaRecord record, Consumer<SigmaRule> onMatch) {
        String name = record.eventName();
        if (name != null && !byName.isEmpty()) {
            SigmaRule[] c = byName.get(name.toLowerCase(Locale.ROOT));
            if (c != null) {
                tryAll(c, record, onMatch);
            }
        }
        String source = record.eventSource();
        if (source != null && !bySource.isEmpty()) {
            SigmaRule[] c = bySource.get(source.toLowerCase(Locale.ROOT));
            if (c != null) {
                tryAll(c, record, onMatch);
            }
        }
        if (everywhere.length > 0) {
            tryAll(everywhere, record, onMatch);
        }
    }

    private void tryAll(SigmaRule[] candidates, SigmaRecord record, Consumer<SigmaRule> onMatch) {
        for (SigmaRule r : candidates) {
            if (r.matches(record, selector, codecFields)) {
                onMatch.accept(r);
            }
        }
    }

    /** The detection rules the record matches, in load order. */
    public List<SigmaRule> match(SigmaRecord record) {
        List<SigmaRule> out = new ArrayList<>(2);
        forEachMatch(record, out::add);
        if (out.size() > 1) {
            out.sort((a, b) -> Integer.compare(a.index(), b.index()));
        }
        return out;
    }

    /** The rules and correlations by id and by name. */
    public Map<String, Object> byReference() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (SigmaRule r : rules) {
            refs(r.info()).forEach(ref -> m.put(ref, r));
        }
        for (SigmaCorrelation c : correlations) {
            refs(c.info()).forEach(ref -> m.put(ref, c));
        }
        return m;
    }
}
