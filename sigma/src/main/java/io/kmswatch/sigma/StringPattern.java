package io.kmswatch.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Sigma string value compiled once into a matcher: wildcards {@code *} (any run) and {@code ?} (one
 * character), escaped as the specification says: {@code \*} and {@code \?} are plain, {@code \\} is one
 * backslash, a backslash before any other character is itself ({@code \\*}: a backslash then a wildcard,
 * {@code \\\*}: a backslash and a plain star, {@code \\\\}: two backslashes). Case-insensitive unless cased.
 * The common shapes (exact, prefix, suffix, infix) match without a regular expression.
 */
final class StringPattern {
    private enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, ANY, GLOB }

    private final Kind kind;
    private final String literal;
    private final boolean cased;
    private final Pattern glob;
    private final String source;
    private final String prefilter;

    private StringPattern(Kind kind, String literal, boolean cased, Pattern glob, String source) {
        this.kind = kind;
        this.literal = literal;
        this.cased = cased;
        this.glob = glob;
        this.source = source;
        this.prefilter = prefilterOf(tokens(source));
    }

    /**
     * A lowercased run of characters that the raw JSON of any record this pattern matches must contain, or null.
     * Only runs of {@code [A-Za-z0-9._@-]} with at least one letter that cannot come from a number's text are
     * used: such a run is written verbatim inside one JSON string, key or literal, whatever the record's
     * formatting, unless a {@code \\u} escape spells one of its characters (CloudTrail escapes none of them; a
     * record with any such escape is not scanned, see {@link SigmaRecord#lowered}).
     */
    private static String prefilterOf(List<Token> tokens) {
        String best = null;
        for (Token t : tokens) {
            if (t.isWildcard()) {
                continue;
            }
            for (String run : t.literal().split("[^A-Za-z0-9._@-]+")) {
                if (run.length() >= 3 && run.chars().anyMatch(c -> Character.isLetter(c) && c != 'e' && c != 'E')
                        && (best == null || run.length() > best.length())) {
                    best = run;
                }
            }
        }
        return best == null ? null : best.toLowerCase(java.util.Locale.ROOT);
    }

    /** See {@link #prefilterOf}; null when the pattern gives none. */
    String prefilter() {
        return prefilter;
    }

    /** One token of a parsed value: a literal run, or a wildcard ({@code *} or {@code ?}). */
    record Token(String literal, char wildcard) {
        boolean isWildcard() {
            return literal == null;
        }
    }

    /** Splits a Sigma value into literals and wildcards, resolving escapes. */
    static List<Token> tokens(String value) {
        List<Token> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char n = value.charAt(i + 1);
                if (n == '*' || n == '?' || n == '\\') {
                    lit.append(n);
                    i++;
                    continue;
                }
                lit.append(c);
            } else if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    out.add(new Token(lit.toString(), (char) 0));
                    lit.setLength(0);
                }
                out.add(new Token(null, c));
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0 || out.isEmpty()) {
            out.add(new Token(lit.toString(), (char) 0));
        }
        return out;
    }

    /** True when the value has an unescaped wildcard. */
    static boolean hasWildcard(String value) {
        return tokens(value).stream().anyMatch(Token::isWildcard);
    }

    /** The value with its escapes resolved; only for values without wildcards. */
    static String unescape(String value) {
        StringBuilder b = new StringBuilder();
        for (Token t : tokens(value)) {
            b.append(t.isWildcard() ? String.valueOf(t.wildcard()) : t.literal());
        }
        return b.toString();
    }

    /** A plain string as a Sigma value (wildcards and backslashes escaped). */
    static String escape(String plain) {
        StringBuilder b = new StringBuilder(plain.length() + 4);
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    static StringPattern compile(String value, boolean cased) {
        List<Token> t = tokens(value);
        // leading/trailing * around one literal: the cases nearly every rule uses, matched without a regex
        int n = t.size();
        boolean lead = n > 0 && t.get(0).isWildcard() && t.get(0).wildcard() == '*';
        boolean trail = n > 0 && t.get(n - 1).isWildcard() && t.get(n - 1).wildcard() == '*';
        if (n == 1 && !t.get(0).isWildcard()) {
            return new StringPattern(Kind.EXACT, t.get(0).literal(), cased, null, value);
        }
        if (n == 1 && lead) {
            return new StringPattern(Kind.ANY, "", cased, null, value);
        }
        if (n == 2 && lead && !t.get(1).isWildcard()) {
            return new StringPattern(Kind.SUFFIX, t.get(1).literal(), cased, null, value);
        }
        if (n == 2 && trail && !t.get(0).isWildcard()) {
            return new StringPattern(Kind.PREFIX, t.get(0).literal(), cased, null, value);
        }
        if (n == 3 && lead && trail && !t.get(1).isWildcard()) {
            return new StringPattern(Kind.CONTAINS, t.get(1).literal(), cased, null, value);
        }
        StringBuilder re = new StringBuilder();
        for (Token tok : t) {
            if (tok.isWildcard()) {
                re.append(tok.wildcard() == '*' ? ".*" : ".");
            } else {
                re.append(Pattern.quote(tok.literal()));
            }
        }
        int flags = Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new StringPattern(Kind.GLOB, null, cased, Pattern.compile(re.toString(), flags), value);
    }

    boolean matches(String s) {
        switch (kind) {
            case EXACT:
                return cased ? s.equals(literal) : s.equalsIgnoreCase(literal);
            case PREFIX:
                return s.regionMatches(!cased, 0, literal, 0, literal.length());
            case SUFFIX:
                return s.length() >= literal.length()
                        && s.regionMatches(!cased, s.length() - literal.length(), literal, 0, literal.length());
            case CONTAINS:
                return contains(s);
            case ANY:
                return true;
            default:
                return glob.matcher(s).matches();
        }
    }

    private boolean contains(String s) {
        if (cased) {
            return s.contains(literal);
        }
        int len = literal.length();
        for (int i = 0, last = s.length() - len; i <= last; i++) {
            if (s.regionMatches(true, i, literal, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /** The plain literal of an exact pattern (no wildcards), else null. */
    String exactLiteral() {
        return kind == Kind.EXACT ? literal : null;
    }

    @Override
    public String toString() {
        return source;
    }
}
