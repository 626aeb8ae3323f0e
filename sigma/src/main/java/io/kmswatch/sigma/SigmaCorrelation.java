package io.kmswatch.sigma;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A correlation rule, validated: its type, the rules it correlates (resolved to their ids or names as written),
 * grouping, window and condition.
 *
 * @param info       title, id, level and the rest, carried into alerts
 * @param type       one of the seven types
 * @param rules      the referenced detection or correlation rules, as written (id or name)
 * @param groupBy    fields (or alias names) that scope a window; empty: one window for all events
 * @param timespan   the window length; events at most this far apart are in one window
 * @param condition  the criteria, all of which must hold (a range is two criteria)
 * @param field      the field of value_count / value_sum / value_avg / value_percentile; null otherwise
 * @param percentile for value_percentile: the percentile (1–100) compared with the condition; 50 (the median)
 *                   unless the condition says {@code percentile: N}
 * @param aliases    alias name → (rule name or id → field in that rule's events)
 * @param generate   true: the referenced rules also alert on their own
 */
public record SigmaCorrelation(RuleInfo info, Type type, List<String> rules, List<String> groupBy, Duration timespan,
                               List<Criterion> condition, String field, int percentile,
                               Map<String, Map<String, String>> aliases, boolean generate) {
    public SigmaCorrelation {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(type, "type");
        rules = List.copyOf(rules);
        groupBy = List.copyOf(groupBy);
        condition = List.copyOf(condition);
        aliases = Map.copyOf(aliases);
    }

    /** The correlation types of the specification's schema. */
    public enum Type {
        EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED, VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Type of(String s) {
            for (Type t : values()) {
                if (t.value().equals(s)) {
                    return t;
                }
            }
            return null;
        }

        /** True for the types whose condition compares an aggregate of {@code field}. */
        public boolean needsField() {
            return this == VALUE_COUNT || this == VALUE_SUM || this == VALUE_AVG || this == VALUE_PERCENTILE;
        }
    }

    /** One condition criterion: {@code op} is gt, gte, lt, lte, eq or neq. */
    public record Criterion(String op, double value) {
        public boolean test(double v) {
            return switch (op) {
                case "gt" -> v > value;
                case "gte" -> v >= value;
                case "lt" -> v < value;
                case "lte" -> v <= value;
                case "eq" -> v == value;
                default -> v != value;
            };
        }

        /** True when more events can turn this criterion false (an upper bound): it is judged when the window ends. */
        public boolean upperBound() {
            return op.equals("lt") || op.equals("lte") || op.equals("eq");
        }
    }

    /** The id alerts carry: the correlation's id, else its name. */
    public String ruleId() {
        return info.ruleId();
    }

    /**
     * True when the condition is judged at the end of a window rather than as soon as it holds: it has an upper
     * bound (lt, lte, eq), which more events could break.
     */
    public boolean judgedAtWindowEnd() {
        return condition.stream().anyMatch(Criterion::upperBound);
    }

    /** True when the aggregate satisfies every criterion. */
    public boolean holds(double aggregate) {
        for (Criterion c : condition) {
            if (!c.test(aggregate)) {
                return false;
            }
        }
        return true;
    }

    /** The field whose values a referenced rule's events give for {@code nameOrAlias}. */
    public String fieldFor(String nameOrAlias, String ruleRef) {
        Map<String, String> m = aliases.get(nameOrAlias);
        if (m != null) {
            String f = m.get(ruleRef);
            if (f != null) {
                return f;
            }
        }
        return nameOrAlias;
    }
}
