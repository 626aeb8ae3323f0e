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
    private final byte[][] prefilter;

    SigmaRule(RuleInfo info, Expr condition, List<Expr> filters, boolean standalone, int index) {
        this.info = info;
        this.condition = condition;
        this.filters = List.copyOf(filters);
        this.standalone = standalone;
        this.index = index;
        java.util.Set<String> lits = condition.literals();
        this.prefilter = lits == null || lits.isEmpty() ? null : lits.stream()
                .map(l -> l.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }

    /**
     * False only when the raw record cannot match: it contains none of the texts the condition needs. Skips the
     * tree parse for most records a rule that the eventName index cannot narrow is tried on.
     */
    boolean mayMatch(byte[] raw) {
        if (prefilter == null || raw == null) {
            return true;
        }
        for (byte[] lit : prefilter) {
            if (containsIgnoreAsciiCase(raw, lit)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsIgnoreAsciiCase(byte[] raw, byte[] lit) {
        int m = lit.length;
        byte first = lit[0];
        for (int i = 0, last = raw.length - m; i <= last; i++) {
            if (lower(raw[i]) != first) {
                continue;
            }
            int j = 1;
            while (j < m && lower(raw[i + j]) == lit[j]) {
                j++;
            }
            if (j == m) {
                return true;
            }
        }
        return false;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
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
