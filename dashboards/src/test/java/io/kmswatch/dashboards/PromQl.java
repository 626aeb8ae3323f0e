package io.kmswatch.dashboards;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL lexing to find the metric names and selectors an expression reads. Conservative: it
 * blanks string literals, matchers, ranges and label lists before looking for names, so label names and
 * values, durations and Grafana variables are never taken for metrics. Syntax itself is checked by promtool.
 */
final class PromQl {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Pattern SELECTOR = Pattern.compile(
            "(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)\\s*\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)}");
    private static final Pattern MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    private PromQl() {
    }

    /** Metric names the expression selects, in order of appearance. */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll("{}");
        s = RANGE.matcher(s).replaceAll("[]");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> out = new LinkedHashSet<>();
        Matcher m = NAME.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            if (!KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                out.add(name);
            }
        }
        return out;
    }

    /** A {@code name{matchers}} selector: the metric name and its matchers' label names → operator+value. */
    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    /** One label matcher. */
    record LabelMatcher(String label, String op, String value) {
    }

    /** Every selector with braces, e.g. {@code kmswatch_x_total{job=~"$job",sink="a"}}. */
    static List<Selector> selectors(String expr) {
        java.util.ArrayList<Selector> out = new java.util.ArrayList<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            java.util.ArrayList<LabelMatcher> ms = new java.util.ArrayList<>();
            Matcher mm = MATCHER.matcher(m.group(2));
            while (mm.find()) {
                String v = mm.group(3);
                ms.add(new LabelMatcher(mm.group(1), mm.group(2), v.substring(1, v.length() - 1)));
            }
            out.add(new Selector(m.group(1), ms));
        }
        return out;
    }

    /** The range functions of an expression and their windows, e.g. {@code rate} → {@code $__rate_interval}. */
    static List<String[]> rangeFunctionWindows(String expr) {
        java.util.ArrayList<String[]> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("\\b(rate|irate|increase|delta|idelta|[a-z]+_over_time)\\s*\\(([^()]*?)\\[([^]]*)]")
                .matcher(expr);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(3)});
        }
        return out;
    }
}
