package io.kmswatch.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The condition grammar of the specification, precedence from least to most binding: {@code or}, {@code and},
 * {@code not}, {@code x of}, brackets.
 *
 * <pre>
 * expr    := and ('or' and)*
 * and     := not ('and' not)*
 * not     := 'not' not | primary
 * primary := '(' expr ')' | ('1' | 'all' | N) 'of' ('them' | pattern) | identifier
 * </pre>
 *
 * {@code them} means every search identifier not starting with {@code _}; a pattern ({@code *} wildcards)
 * every identifier it matches. Keywords are case-insensitive. A pipe ({@code | count()}) is the legacy
 * aggregation syntax and is refused: correlation rules replace it.
 */
final class ConditionParser {
    private final Map<String, Expr> identifiers;
    private final List<String> tokens;
    private int pos;

    private ConditionParser(Map<String, Expr> identifiers, List<String> tokens) {
        this.identifiers = identifiers;
        this.tokens = tokens;
    }

    static Expr parse(String condition, Map<String, Expr> identifiers) {
        if (condition.indexOf('|') >= 0) {
            throw new RuleError("condition '" + condition + "' uses the legacy aggregation syntax ('|'); write a "
                    + "correlation rule instead", "condition");
        }
        ConditionParser p = new ConditionParser(identifiers, tokenize(condition));
        if (p.tokens.isEmpty()) {
            throw new RuleError("empty condition", "condition");
        }
        Expr e = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return e;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && s.charAt(j) != '('
                        && s.charAt(j) != ')') {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private RuleError error(String what) {
        return new RuleError("bad condition '" + String.join(" ", tokens) + "': " + what, "condition");
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String word) {
        String t = peek();
        if (t != null && t.equalsIgnoreCase(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private Expr or() {
        List<Expr> parts = new ArrayList<>(List.of(and()));
        while (accept("or")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.Or(parts);
    }

    private Expr and() {
        List<Expr> parts = new ArrayList<>(List.of(not()));
        while (accept("and")) {
            parts.add(not());
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.And(parts);
    }

    private Expr not() {
        if (accept("not")) {
            return new Expr.Not(not());
        }
        return primary();
    }

    private Expr primary() {
        String t = peek();
        if (t == null) {
            throw error("ends where an identifier was expected");
        }
        if (t.equals("(")) {
            pos++;
            Expr e = or();
            if (!accept(")")) {
                throw error("missing ')'");
            }
            return e;
        }
        if (t.equals(")") || isKeyword(t)) {
            throw error("unexpected '" + t + "'");
        }
        pos++;
        String next = peek();
        if (next != null && next.equalsIgnoreCase("of")) {
            pos++;
            return quantifier(t);
        }
        Expr e = identifiers.get(t);
        if (e == null) {
            throw error("unknown search identifier '" + t + "'");
        }
        return e;
    }

    private Expr quantifier(String count) {
        String target = peek();
        if (target == null || target.equals("(") || target.equals(")")) {
            throw error("'" + count + " of' needs 'them' or an identifier pattern");
        }
        pos++;
        List<Expr> members = new ArrayList<>();
        if (target.equalsIgnoreCase("them")) {
            identifiers.forEach((name, e) -> {
                if (!name.startsWith("_")) {
                    members.add(e);
                }
            });
        } else {
            Pattern p = Pattern.compile(glob(target));
            identifiers.forEach((name, e) -> {
                if (p.matcher(name).matches()) {
                    members.add(e);
                }
            });
        }
        if (members.isEmpty()) {
            throw error("'" + count + " of " + target + "' matches no search identifier");
        }
        if (count.equalsIgnoreCase("all")) {
            return new Expr.And(members);
        }
        int n;
        try {
            n = count.equalsIgnoreCase("any") ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw error("'" + count + " of': expected 1, all or a number");
        }
        if (n < 1) {
            throw error("'" + count + " of': the count must be at least 1");
        }
        return n == 1 ? new Expr.Or(members) : new Expr.AtLeast(n, members);
    }

    private static boolean isKeyword(String t) {
        return t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or") || t.equalsIgnoreCase("not")
                || t.equalsIgnoreCase("of");
    }

    private static String glob(String pattern) {
        java.util.StringJoiner j = new java.util.StringJoiner(".*");
        for (String part : pattern.split("\\*", -1)) {
            j.add(Pattern.quote(part));
        }
        return j.toString();
    }
}
