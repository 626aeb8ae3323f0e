package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A compiled detection rule (with the filters that name it). Matching is pure and thread-safe.
 */
public final class SigmaRule {
    private final RuleInfo info;
    private final Expr condition;
    private final List<Expr> filters;
    private final boolean standalone;
    private final int index;
    /** Lowercased ASCII texts one of which the raw record must contain to be worth parsing; null: always parse. */
    private final String[] prefilter;
    /** The dotted field names the condition and filters read; null when one reads the whole record. */
    private final java.util.Set<String> fields;
    private final boolean codecServed;

    SigmaRule(RuleInfo info, Expr condition, List<Expr> filters, boolean standalone, int index) {
        this.info = info;
        this.condition = condition;
        this.filters = List.copyOf(filters);
        this.standalone = standalone;
        this.index = index;
        java.util.Set<String> lits = condition.literals();
        this.prefilter = lits == null || lits.isEmpty() ? null : lits.toArray(new String[0]);
        java.util.Set<String> f = new java.util.HashSet<>();
        boolean selective = condition.fields(f);
        for (Expr e : this.filters) {
            selective &= e.fields(f);
        }
        this.fields = selective ? java.util.Set.copyOf(f) : null;
        boolean presence = condition.testsPresence();
        for (Expr e : this.filters) {
            presence |= e.testsPresence();
        }
        this.codecServed = fields != null && !presence && CodecFields.covers(fields);
    }

    /** True when the rule reads only fields the codec has read, and tests no presence ({@link CodecFields}). */
    boolean codecServed() {
        return codecServed;
    }

    /** The dotted field names the rule reads, or null when it reads the whole record (a keyword search). */
    java.util.Set<String> fields() {
        return fields;
    }

    /**
     * False only when the raw record cannot match: it contains none of the texts the condition needs (ASCII
     * case-insensitively). Skips the parse for most records a rule is tried on that the index cannot narrow.
     */
    boolean mayMatch(SigmaRecord record) {
        if (prefilter == null) {
            return true;
        }
        String text = record.lowered();
        if (text == null) {
            return true;
        }
        for (String lit : prefilter) {
            if (text.contains(lit)) {
                return true;
            }
        }
        return false;
    }

    public RuleInfo info() {
        return info;
    }

    /**
     * True when a match alerts on its own: the rule is referenced by no correlation, or by one with
     * {@code generate: true}. Otherwise its matches only feed correlations.
     */
    public boolean standalone() {
        return standalone;
    }

    /** Position in its rule set (load order). */
    int index() {
        return index;
    }

    Expr condition() {
        return condition;
    }

    /**
     * True when the record matches the detection and every filter applied to the rule: on the codec's fields alone
     * when they serve the rule and the record's are verbatim; else the record is read only as far as
     * {@code selector} reaches when the selector covers the rule's fields, whole otherwise.
     */
    boolean matches(SigmaRecord record, PathSelector selector, CodecFields codec) {
        if (codecServed && codec != null) {
            JsonNode t = record.codecTree(codec);
            if (t != null) {
                return matches(t);
            }
        }
        if (!mayMatch(record)) {
            return false;
        }
        return matches(fields != null && selector != null ? record.selected(selector) : record.tree());
    }

    /** True when the record matches the detection and every filter applied to the rule. */
    public boolean matches(JsonNode record) {
        if (!condition.eval(record)) {
            return false;
        }
        for (Expr f : filters) {
            if (!f.eval(record)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SigmaRule[" + info.label() + "]";
    }
}
