package io.kmswatch.sigma;

import java.util.List;
import java.util.stream.Collectors;

/** Rules that cannot be run (every problem is listed), or an unreadable rule file. Unchecked. */
public class SigmaException extends RuntimeException {
    private final List<RuleProblem> problems;

    public SigmaException(List<RuleProblem> problems) {
        super(problems.size() + (problems.size() == 1 ? " rule problem" : " rule problems") + ":\n  "
                + problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public SigmaException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    /** Every problem found, in file and line order; empty when the failure was not about one rule. */
    public List<RuleProblem> problems() {
        return problems;
    }
}
