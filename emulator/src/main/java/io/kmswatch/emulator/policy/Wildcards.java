package io.kmswatch.emulator.policy;

/** Glob matching as IAM does it: {@code *} matches any run of characters, {@code ?} exactly one. */
final class Wildcards {

    private Wildcards() {
    }

    /** Case-sensitive glob match of {@code value} against {@code pattern}. */
    static boolean matches(String pattern, String value) {
        return matches(pattern, value, false);
    }

    /** Glob match, optionally ignoring case (actions are case-insensitive in IAM). */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        if (pattern == null || value == null) {
            return false;
        }
        // Iterative matcher with backtracking to the last star: linear in practice, no regex compilation,
        // and no catastrophic backtracking on hostile patterns such as "*a*a*a*a*b".
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v), ignoreCase))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starV = v;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
    }
}
