package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles one {@code field|modifier|…: value(s)} entry of a selection into an {@link Expr}, applying the
 * modifiers of the specification's appendix in the order written. Everything that can be decided from the rule
 * (regular expressions, CIDR ranges, encodings, wildcard patterns) is done here, once.
 */
final class ValueCompiler {
    static final Set<String> MODIFIERS = Set.of("contains", "startswith", "endswith", "all", "exists", "cased", "neq",
            "re", "i", "m", "s", "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash",
            "lt", "lte", "gt", "gte", "cidr", "fieldref", "expand", "minute", "hour", "day", "week", "month", "year");
    private static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};

    private final Map<String, List<String>> placeholders;

    ValueCompiler(Map<String, List<String>> placeholders) {
        this.placeholders = placeholders;
    }

    /** Compiles one entry; {@code field} is empty for a keyword entry ({@code '|all': […]}). */
    Expr compile(String key, JsonNode value) {
        String[] parts = key.split("\\|", -1);
        String field = parts[0];
        List<String> mods = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i];
            if (!MODIFIERS.contains(m)) {
                throw new RuleError("unknown modifier '" + m + "' in '" + key + "'", key);
            }
            mods.add(m);
        }
        boolean re = mods.contains("re");
        for (String sub : List.of("i", "m", "s")) {
            if (mods.contains(sub) && !re) {
                throw new RuleError("modifier '" + sub + "' applies only after 're' in '" + key + "'", key);
            }
        }
        List<JsonNode> values = new ArrayList<>();
        boolean list = value != null && value.isArray();
        if (list) {
            value.forEach(values::add);
        } else {
            values.add(value == null ? com.fasterxml.jackson.databind.node.NullNode.instance : value);
        }
        if (values.isEmpty()) {
            throw new RuleError("'" + key + "' has an empty list of values", key);
        }
        for (JsonNode v : values) {
            if (v.isContainerNode()) {
                throw new RuleError("'" + key + "': a value must be a string, number, boolean or null, not "
                        + (v.isArray() ? "a list" : "a map"), key);
            }
        }
        boolean all = mods.contains("all");
        if (all && values.size() < 2) {
            throw new RuleError("'|all' needs a list of two or more values ('" + key + "'): the specification does "
                    + "not allow it on one value", key);
        }
        boolean cased = mods.contains("cased");
        boolean neq = mods.contains("neq");
        FieldPath path = new FieldPath(field);

        if (field.isEmpty()) {
            return keyword(key, values, mods, all, cased);
        }
        if (mods.contains("exists")) {
            if (mods.size() != 1 || values.size() != 1 || !values.get(0).isBoolean()) {
                throw new RuleError("'" + key + "': exists takes exactly one boolean value and no other modifier", key);
            }
            return new Items.ExistsItem(path, values.get(0).booleanValue());
        }
        boolean anyNull = values.stream().anyMatch(JsonNode::isNull);
        if (anyNull) {
            if (values.size() != 1) {
                throw new RuleError("'" + key + "': null cannot be part of a list of values (write it as its own "
                        + "selection, as the specification says)", key);
            }
            if (!mods.isEmpty()) {
                throw new RuleError("'" + key + "': null takes no modifiers", key);
            }
            return new Items.NullItem(path);
        }
        if (mods.contains("fieldref")) {
            String how = mods.contains("contains") ? "contains" : mods.contains("startswith") ? "startswith"
                    : mods.contains("endswith") ? "endswith" : "equals";
            List<Expr> refs = new ArrayList<>();
            for (JsonNode v : values) {
                if (!v.isTextual() || v.textValue().isEmpty()) {
                    throw new RuleError("'" + key + "': fieldref values must be field names", key);
                }
                refs.add(new Items.FieldRefItem(path, new FieldPath(v.textValue()), how, cased, false));
            }
            Expr e = refs.size() == 1 ? refs.get(0) : all ? new Expr.And(refs) : new Expr.Or(refs);
            return neq ? new Expr.Not(e) : e;
        }

        List<Items.ValueTest> tests = new ArrayList<>();
        List<StringPattern> exact = new ArrayList<>();
        boolean indexable = !neq && !all;
        String timePart = mods.stream().filter(TimeParts.NAMES::contains).findFirst().orElse(null);
        String cmp = mods.stream().filter(m -> m.equals("lt") || m.equals("lte") || m.equals("gt") || m.equals("gte"))
                .findFirst().orElse(null);
        if (re) {
            int flags = 0;
            flags |= mods.contains("i") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
            flags |= mods.contains("m") ? Pattern.MULTILINE : 0;
            flags |= mods.contains("s") ? Pattern.DOTALL : 0;
            for (JsonNode v : values) {
                if (!v.isTextual()) {
                    throw new RuleError("'" + key + "': a regular expression must be a string", key);
                }
                try {
                    tests.add(Items.RegexTest.of(Pattern.compile(v.textValue(), flags)));
                } catch (PatternSyntaxException e) {
                    throw new RuleError("'" + key + "': invalid regular expression: " + e.getDescription(), key);
                }
            }
            indexable = false;
        } else if (mods.contains("cidr")) {
            for (JsonNode v : values) {
                try {
                    tests.add(new Items.CidrTest(Cidr.parse(v.asText())));
                } catch (IllegalArgumentException e) {
                    throw new RuleError("'" + key + "': " + e.getMessage(), key);
                }
            }
            indexable = false;
        } else if (cmp != null || timePart != null) {
            for (JsonNode v : values) {
                Double bound = v.isNumber() ? Double.valueOf(v.doubleValue()) : Items.parseNumber(v.asText());
                if (bound == null) {
                    throw new RuleError("'" + key + "': '" + v.asText() + "' is not a number", key);
                }
                tests.add(new Items.CompareTest(cmp == null ? "eq" : cmp, bound, timePart));
            }
            indexable = false;
        } else {
            for (JsonNode v : values) {
                if (v.isNumber() && mods.stream().noneMatch(m -> !m.equals("cased") && !m.equals("all")
                        && !m.equals("neq"))) {
                    BigDecimal d = v.decimalValue();
                    tests.add(new Items.NumberTest(d, StringPattern.compile(StringPattern.escape(v.asText()), cased)));
                    indexable = false;
                    continue;
                }
                for (String s : transform(key, v.asText(), mods)) {
                    StringPattern p = StringPattern.compile(s, cased);
                    tests.add(new Items.StringTest(p));
                    if (p.exactLiteral() == null) {
                        indexable = false;
                    } else {
                        exact.add(p);
                    }
                }
            }
        }
        return new Items.FieldItem(path, List.copyOf(tests), all, neq, indexable ? List.copyOf(exact) : null);
    }

    private Expr keyword(String key, List<JsonNode> values, List<String> mods, boolean all, boolean cased) {
        for (String m : mods) {
            if (!Set.of("all", "cased", "contains", "startswith", "endswith", "windash", "base64", "base64offset",
                    "utf16le", "utf16be", "utf16", "wide", "expand").contains(m)) {
                throw new RuleError("'" + key + "': modifier '" + m + "' does not apply to a keyword search", key);
            }
        }
        List<StringPattern> patterns = new ArrayList<>();
        List<String> withContains = new ArrayList<>(mods);
        if (!mods.contains("startswith") && !mods.contains("endswith")) {
            withContains.add("contains");
        }
        for (JsonNode v : values) {
            if (v.isNull()) {
                throw new RuleError("'" + key + "': a keyword cannot be null", key);
            }
            for (String s : transform(key, v.asText(), withContains)) {
                patterns.add(StringPattern.compile(s, cased));
            }
        }
        return new Items.KeywordItem(List.copyOf(patterns), all);
    }

    /** Applies the transformation modifiers in order; returns Sigma-escaped values (wildcards live). */
    List<String> transform(String key, String raw, List<String> mods) {
        List<String> vals = List.of(raw);
        // bytes after a utf16 modifier, until base64 turns them back into text
        List<byte[]> bytes = null;
        for (String m : mods) {
            switch (m) {
                case "expand" -> vals = expand(key, vals);
                case "windash" -> {
                    List<String> out = new ArrayList<>();
                    for (String v : vals) {
                        windash(v, 0, new StringBuilder(), out);
                    }
                    vals = out;
                }
                case "utf16le", "wide", "utf16be", "utf16" -> {
                    bytes = new ArrayList<>();
                    for (String v : vals) {
                        String plain = plain(key, v, m);
                        byte[] b = switch (m) {
                            case "utf16be" -> plain.getBytes(StandardCharsets.UTF_16BE);
                            case "utf16" -> concat(new byte[] {(byte) 0xff, (byte) 0xfe},
                                    plain.getBytes(StandardCharsets.UTF_16LE));
                            default -> plain.getBytes(StandardCharsets.UTF_16LE);
                        };
                        bytes.add(b);
                    }
                }
                case "base64", "base64offset" -> {
                    List<byte[]> in = bytes;
                    if (in == null) {
                        in = new ArrayList<>();
                        for (String v : vals) {
                            in.add(plain(key, v, m).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    List<String> out = new ArrayList<>();
                    for (byte[] b : in) {
                        if (m.equals("base64")) {
                            out.add(Base64.getEncoder().encodeToString(b));
                        } else {
                            out.addAll(base64Offsets(b));
                        }
                    }
                    vals = out;
                    bytes = null;
                }
                default -> {
                }
            }
        }
        if (bytes != null) {
            throw new RuleError("'" + key + "': a utf16/wide modifier must be followed by base64 or base64offset "
                    + "(CloudTrail values are text)", key);
        }
        boolean contains = mods.contains("contains");
        boolean starts = mods.contains("startswith");
        boolean ends = mods.contains("endswith");
        if ((contains ? 1 : 0) + (starts ? 1 : 0) + (ends ? 1 : 0) > 1) {
            throw new RuleError("'" + key + "': contains, startswith and endswith exclude each other", key);
        }
        List<String> out = new ArrayList<>(vals.size());
        for (String v : vals) {
            if (contains) {
                out.add((v.startsWith("*") ? "" : "*") + v + (endsWithWildcard(v) ? "" : "*"));
            } else if (starts) {
                out.add(v + (endsWithWildcard(v) ? "" : "*"));
            } else if (ends) {
                out.add((v.startsWith("*") ? "" : "*") + v);
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private static boolean endsWithWildcard(String v) {
        List<StringPattern.Token> t = StringPattern.tokens(v);
        StringPattern.Token last = t.get(t.size() - 1);
        return last.isWildcard() && last.wildcard() == '*';
    }

    private static String plain(String key, String v, String mod) {
        if (StringPattern.hasWildcard(v)) {
            throw new RuleError("'" + key + "': '" + mod + "' cannot encode a value with wildcards ('" + v + "')", key);
        }
        return StringPattern.unescape(v);
    }

    /** The three encodings of a value at byte offsets 0, 1 and 2 of a base64 stream, as pySigma computes them. */
    static List<String> base64Offsets(byte[] value) {
        int[] start = {0, 2, 3};
        int[] endCut = {0, 3, 2};
        List<String> out = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            byte[] shifted = concat(new byte[i], value);
            for (int j = 0; j < i; j++) {
                shifted[j] = ' ';
            }
            String b64 = Base64.getEncoder().encodeToString(shifted);
            int cut = endCut[(value.length + i) % 3];
            out.add(b64.substring(start[i], b64.length() - cut));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void windash(String v, int i, StringBuilder prefix, List<String> out) {
        if (i == v.length()) {
            out.add(prefix.toString());
            return;
        }
        char c = v.charAt(i);
        int len = prefix.length();
        boolean dash = false;
        for (char d : DASHES) {
            dash |= d == c;
        }
        if (dash) {
            for (char d : DASHES) {
                prefix.append(d);
                windash(v, i + 1, prefix, out);
                prefix.setLength(len);
            }
        } else {
            prefix.append(c);
            windash(v, i + 1, prefix, out);
            prefix.setLength(len);
        }
    }

    /** {@code %name%} placeholders replaced by every configured value; {@code \%} is a plain percent sign. */
    private List<String> expand(String key, List<String> vals) {
        List<String> out = new ArrayList<>();
        for (String v : vals) {
            List<StringBuilder> acc = new ArrayList<>(List.of(new StringBuilder()));
            int i = 0;
            while (i < v.length()) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() && v.charAt(i + 1) == '%') {
                    acc.forEach(b -> b.append('%'));
                    i += 2;
                } else if (c == '%') {
                    int end = v.indexOf('%', i + 1);
                    if (end < 0) {
                        throw new RuleError("'" + key + "': unterminated placeholder in '" + v + "'", key);
                    }
                    String name = v.substring(i + 1, end);
                    List<String> repl = placeholders.get(name);
                    if (repl == null || repl.isEmpty()) {
                        throw new RuleError("'" + key + "': placeholder %" + name + "% has no values (set "
                                + "detections.sigma.placeholders." + name + ")", key);
                    }
                    List<StringBuilder> next = new ArrayList<>();
                    for (StringBuilder b : acc) {
                        for (String r : repl) {
                            next.add(new StringBuilder(b).append(r));
                        }
                    }
                    acc = next;
                    i = end + 1;
                } else {
                    acc.forEach(b -> b.append(c));
                    i++;
                }
            }
            acc.forEach(b -> out.add(b.toString()));
        }
        return out;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
