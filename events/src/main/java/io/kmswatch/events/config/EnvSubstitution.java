package io.kmswatch.events.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code ${ENV_VAR}} substitution in a configuration file's text, applied before the YAML is
 * parsed, so secrets (webhook URLs, tokens) stay out of the file. The only way environment
 * variables reach configuration (STYLE.md, "Configuration: one mechanism").
 *
 * <p>Grammar, scanned left to right:
 * <pre>
 *   ${NAME}            the value of NAME; an error when NAME is not set
 *   ${NAME:-default}   the value of NAME, or {@code default} when NAME is unset or empty
 *   $${                a literal {@code ${} (the escape); nothing is substituted inside it
 *   NAME               [A-Za-z_][A-Za-z0-9_]*
 * </pre>
 * A {@code $} not followed by {@code {} is kept as is. Substituted values are inserted verbatim and
 * not scanned again. Because substitution happens on the text, a value with YAML syntax in it
 * ({@code : }, {@code #}, a leading {@code *}) must sit in a quoted scalar:
 * {@code url: "${SLACK_WEBHOOK_URL}"}.
 *
 * <p>Comment lines (first non-blank character {@code #}) are copied unchanged: an example commented
 * out in a file must not demand its variables.
 *
 * <p>Errors name the variable and the line, never a value: values are often secrets.
 */
public final class EnvSubstitution {
    private EnvSubstitution() {
    }

    /**
     * Substitutes from the process environment.
     *
     * @throws IllegalArgumentException when a referenced variable without default is unset, or a
     *                                  reference is malformed; the message lists every problem
     */
    public static String apply(String text) {
        return apply(text, System::getenv);
    }

    /**
     * Substitutes with the given lookup (null = unset), so tests need not touch the environment.
     *
     * @throws IllegalArgumentException when a referenced variable without default is unset, or a
     *                                  reference is malformed; the message lists every problem
     */
    public static String apply(String text, Function<String, String> lookup) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(lookup, "lookup");
        StringBuilder out = new StringBuilder(text.length());
        List<String> problems = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isCommentLineStart(text, i)) {
                int end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
                out.append(text, i, end);
                i = end;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (c != '$' || !text.startsWith("${", i)) {
                out.append(c);
                i++;
                continue;
            }
            int close = text.indexOf('}', i + 2);
            int newline = text.indexOf('\n', i + 2);
            if (close < 0 || (newline >= 0 && newline < close)) {
                problems.add("line " + line + ": unterminated '${' (expected ${NAME} or ${NAME:-default})");
                out.append(c);
                i++;
                continue;
            }
            String body = text.substring(i + 2, close);
            int sep = body.indexOf(":-");
            String name = sep < 0 ? body : body.substring(0, sep);
            String fallback = sep < 0 ? null : body.substring(sep + 2);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("line " + line + ": '" + name + "' is not a variable name (letters, digits, '_')");
            } else {
                String value = lookup.apply(name);
                if (value != null && !(value.isEmpty() && fallback != null)) {
                    out.append(value);
                } else if (fallback != null) {
                    out.append(fallback);
                } else {
                    problems.add("line " + line + ": environment variable " + name
                            + " is not set (use ${" + name + ":-default} for an optional value)");
                }
            }
            i = close + 1;
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("configuration substitution failed: " + String.join("; ", problems));
        }
        return out.toString();
    }

    /** True at the first non-blank character of a line when that character is '#'. */
    private static boolean isCommentLineStart(String text, int i) {
        if (text.charAt(i) != '#') {
            return false;
        }
        for (int j = i - 1; j >= 0; j--) {
            char b = text.charAt(j);
            if (b == '\n') {
                return true;
            }
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
