package io.kmswatch.sigma;

import java.util.Objects;

/**
 * Why one rule cannot be run: where it is ({@code file}, 1-based {@code line}), which rule (its id, else its
 * name or title; {@code ?} when the document has none) and the reason.
 *
 * @param file   the file the rule was read from (or the name given to {@link RuleSet#parse}); never null
 * @param line   1-based line of the offending document or key
 * @param rule   the rule's id, name or title, or {@code ?}; never null
 * @param reason what is wrong, for people; never null
 */
public record RuleProblem(String file, int line, String rule, String reason) {
    public RuleProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return file + ":" + line + ": rule '" + rule + "': " + reason;
    }
}
