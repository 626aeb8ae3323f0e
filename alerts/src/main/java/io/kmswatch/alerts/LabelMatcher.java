package io.kmswatch.alerts;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager-style matcher, {@code name="value"}, {@code name!="value"}, {@code name=~"regex"}
 * or {@code name!~"regex"} (quotes optional), over {@link AlertLabels}. Regexes are anchored at both
 * ends, as in Alertmanager; a missing label has the value {@code ""}.
 *
 * @param name  label name; never null
 * @param op    the operator; never null
 * @param value the literal or the regex source; never null
 */
public record LabelMatcher(String name, Op op, String value) {
    /** Matcher operators. */
    public enum Op {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_:.-]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*");

    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (op == Op.REGEX || op == Op.NOT_REGEX) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matcher " + name + op.symbol() + " has an invalid regex: "
                        + e.getDescription());
            }
        }
    }

    /**
     * Parses {@code name<op>"value"}.
     *
     * @throws IllegalArgumentException when the text is not a matcher
     */
    public static LabelMatcher parse(String text) {
        var m = text == null ? null : SYNTAX.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a matcher (expected name=\"value\", name!=\"value\", "
                    + "name=~\"regex\" or name!~\"regex\")");
        }
        String v = m.group(3);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        Op op = switch (m.group(2)) {
            case "=" -> Op.EQUAL;
            case "!=" -> Op.NOT_EQUAL;
            case "=~" -> Op.REGEX;
            default -> Op.NOT_REGEX;
        };
        return new LabelMatcher(m.group(1), op, v);
    }

    /** True when the labels satisfy this matcher. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case REGEX -> Pattern.compile(value).matcher(actual).matches();
            case NOT_REGEX -> !Pattern.compile(value).matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        return name + op.symbol() + '"' + value + '"';
    }
}
