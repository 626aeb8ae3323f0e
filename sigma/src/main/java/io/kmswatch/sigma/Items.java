package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The compiled field items of a selection and the value tests they apply to each value of a field. */
final class Items {
    private Items() {
    }

    /** An item about one field: reads that field only. */
    interface OnePath extends Expr {
        FieldPath path();

        @Override
        default boolean fields(Set<String> out) {
            out.add(path().name());
            return true;
        }
    }

    /** A test of one value of a field (a leaf: never an array; JSON null included). */
    interface ValueTest {
        boolean test(JsonNode leaf);
    }

    /** {@code field|mods: values}: any (or with {@code |all} every) value test holds for some value of the field. */
    record FieldItem(FieldPath path, List<ValueTest> tests, boolean all, boolean negate, List<StringPattern> exact)
            implements OnePath {
        @Override
        public boolean eval(JsonNode record) {
            List<JsonNode> values = path.values(record);
            boolean r = all ? every(values) : any(values);
            return negate != r;
        }

        private boolean any(List<JsonNode> values) {
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                for (int j = 0; j < tests.size(); j++) {
                    if (tests.get(j).test(v)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean every(List<JsonNode> values) {
            for (ValueTest t : tests) {
                boolean hit = false;
                for (JsonNode v : values) {
                    if (t.test(v)) {
                        hit = true;
                        break;
                    }
                }
                if (!hit) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Set<String> literals() {
            if (negate) {
                return null;
            }
            Set<String> s = new HashSet<>();
            for (ValueTest t : tests) {
                String l = t instanceof StringTest st ? st.pattern().prefilter()
                        : t instanceof RegexTest rt ? rt.prefilter() : null;
                if (l == null) {
                    return null;
                }
                s.add(l);
            }
            return s;
        }

        @Override
        public Set<String> required(String field) {
            if (negate || all || exact == null || !path.name().equals(field)) {
                return null;
            }
            Set<String> s = new HashSet<>();
            for (StringPattern p : exact) {
                s.add(p.exactLiteral().toLowerCase(java.util.Locale.ROOT));
            }
            return s;
        }
    }

    /** {@code field: null}: the field is absent or JSON null (an empty string is not null). */
    record NullItem(FieldPath path) implements OnePath {
        @Override
        public boolean eval(JsonNode record) {
            List<JsonNode> values = path.values(record);
            if (values.isEmpty()) {
                return true;
            }
            for (JsonNode v : values) {
                if (v.isNull()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code field|exists: true|false}: presence of the path, whatever its value (null and empty included). */
    record ExistsItem(FieldPath path, boolean wanted) implements OnePath {
        @Override
        public boolean testsPresence() {
            return true;
        }

        @Override
        public boolean eval(JsonNode record) {
            return path.exists(record) == wanted;
        }
    }

    /** {@code field|fieldref: other}: some value of the field equals (starts/ends with, contains) some value of other. */
    record FieldRefItem(FieldPath path, FieldPath other, String how, boolean cased, boolean negate) implements Expr {
        @Override
        public boolean fields(Set<String> out) {
            out.add(path.name());
            out.add(other.name());
            return true;
        }

        @Override
        public boolean eval(JsonNode record) {
            boolean r = false;
            outer:
            for (JsonNode o : other.values(record)) {
                String ot = FieldPath.text(o);
                if (ot == null) {
                    continue;
                }
                StringPattern p = StringPattern.compile(wrap(StringPattern.escape(ot)), cased);
                for (JsonNode v : path.values(record)) {
                    String t = FieldPath.text(v);
                    if (t != null && p.matches(t)) {
                        r = true;
                        break outer;
                    }
                }
            }
            return negate != r;
        }

        private String wrap(String v) {
            return switch (how) {
                case "contains" -> "*" + v + "*";
                case "startswith" -> v + "*";
                case "endswith" -> "*" + v;
                default -> v;
            };
        }
    }

    /** A keyword search: some leaf value of the record matches (any of, or with {@code |all} every one of) the patterns. */
    record KeywordItem(List<StringPattern> patterns, boolean all) implements Expr {
        @Override
        public boolean fields(Set<String> out) {
            return false;
        }

        @Override
        public Set<String> literals() {
            Set<String> s = new HashSet<>();
            for (StringPattern p : patterns) {
                if (p.prefilter() == null) {
                    return null;
                }
                s.add(p.prefilter());
            }
            return s;
        }

        @Override
        public boolean eval(JsonNode record) {
            List<JsonNode> leaves = new ArrayList<>();
            FieldPath.leaves(record, leaves);
            for (StringPattern p : patterns) {
                boolean hit = false;
                for (JsonNode l : leaves) {
                    String t = FieldPath.text(l);
                    if (t != null && p.matches(t)) {
                        hit = true;
                        break;
                    }
                }
                if (hit && !all) {
                    return true;
                }
                if (!hit && all) {
                    return false;
                }
            }
            return all;
        }
    }

    /** A string pattern on the value's text (numbers and booleans as their JSON text, objects as JSON). */
    record StringTest(StringPattern pattern) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf) {
            String t = FieldPath.text(leaf);
            return t != null && pattern.matches(t);
        }
    }

    /** A number in the rule: a numeric value equal to it, or a text value that reads as it. */
    record NumberTest(BigDecimal value, StringPattern text) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf) {
            if (leaf.isNumber()) {
                return leaf.decimalValue().compareTo(value) == 0;
            }
            String t = FieldPath.text(leaf);
            return t != null && text.matches(t);
        }
    }

    /**
     * A regular expression, found anywhere in the value's text (compiled once). {@code needle}: a text every match
     * contains ({@link #needleOf}), looked for with {@code String.contains} before the regular expression runs;
     * folded as {@code (?iu)} folds characters when {@code folded}.
     */
    record RegexTest(Pattern pattern, String prefilter, String needle, boolean folded) implements ValueTest {
        static RegexTest of(Pattern pattern) {
            boolean folded = (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0;
            String needle = needleOf(pattern.pattern());
            return new RegexTest(pattern, prefilterOf(pattern.pattern()), needle == null ? null
                    : folded ? fold(needle) : needle, folded);
        }

        /**
         * For a regular expression of plain characters, {@code .}, {@code +}, {@code *}, {@code ^} and {@code $}
         * only: its longest run of plain characters that every match contains (a character before {@code *} may
         * be absent); otherwise null.
         */
        static String needleOf(String regex) {
            return longestRun(regex, "[^.+*^$]+", 2, run -> true);
        }

        /**
         * The longest run of {@code runs} in a regular expression of plain characters, {@code .}, {@code +},
         * {@code *}, {@code ^} and {@code $} only, with at least {@code min} characters and {@code ok}; the
         * character before a {@code *} is left out (it may be absent). Null for any other expression.
         */
        private static String longestRun(String regex, String runs, int min,
                                          java.util.function.Predicate<String> ok) {
            if (regex.matches("(?s).*[|\\[\\](){}?\\\\].*")) {
                return null;
            }
            String best = null;
            java.util.regex.Matcher m = Pattern.compile(runs).matcher(regex);
            while (m.find()) {
                String run = m.group();
                if (m.end() < regex.length() && regex.charAt(m.end()) == '*') {
                    run = run.substring(0, run.length() - 1);
                }
                if (run.length() >= min && ok.test(run) && (best == null || run.length() > best.length())) {
                    best = run;
                }
            }
            return best;
        }

        /** Each character as {@code (?iu)} compares it: lower case of its upper case. */
        static String fold(String s) {
            char[] c = s.toCharArray();
            for (int i = 0; i < c.length; i++) {
                c[i] = Character.toLowerCase(Character.toUpperCase(c[i]));
            }
            return new String(c);
        }

        /**
         * For a regular expression of plain characters, {@code .}, {@code +}, {@code *}, {@code ^} and {@code $}
         * only: its longest mandatory run of {@code [A-Za-z0-9_@-]} with a letter, lowercased; otherwise null.
         */
        static String prefilterOf(String regex) {
            String best = longestRun(regex, "[A-Za-z0-9_@-]+", 3,
                    run -> run.chars().anyMatch(c -> Character.isLetter(c) && c != 'e' && c != 'E'));
            return best == null ? null : best.toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public boolean test(JsonNode leaf) {
            String t = FieldPath.text(leaf);
            if (t == null) {
                return false;
            }
            if (needle != null && !(folded ? fold(t) : t).contains(needle)) {
                return false;
            }
            return pattern.matcher(t).find();
        }
    }

    /** lt/lte/gt/gte: the value (a JSON number, or text that reads as a number) compared; anything else is no match. */
    record CompareTest(String op, double bound, String timePart) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf) {
            double v;
            if (timePart != null) {
                Integer p = TimeParts.extract(leaf, timePart);
                if (p == null) {
                    return false;
                }
                v = p;
            } else if (leaf.isNumber()) {
                v = leaf.doubleValue();
            } else {
                Double d = parseNumber(FieldPath.text(leaf));
                if (d == null) {
                    return false;
                }
                v = d;
            }
            return switch (op) {
                case "lt" -> v < bound;
                case "lte" -> v <= bound;
                case "gt" -> v > bound;
                case "gte" -> v >= bound;
                default -> v == bound;
            };
        }
    }

    /** An IP address (v4 or v6 literal) inside a CIDR range; values that are not IP literals do not match. */
    record CidrTest(Cidr cidr) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf) {
            String t = FieldPath.text(leaf);
            return t != null && cidr.contains(t);
        }
    }

    static Double parseNumber(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        char c = s.charAt(0);
        if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
