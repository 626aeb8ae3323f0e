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

    SigmaRule(RuleInfo info, Expr condition, List<Expr> filters, boolean standalone, int index) {
        this.info = info;
        this.condition = condition;
        this.filters = List.copyOf(filters);
        this.standalone = standalone;
        this.index = index;
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
