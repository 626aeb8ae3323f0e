package io.kmswatch.sigma;

import java.util.List;

/**
 * A filter document: its condition is added to each rule it names, as pySigma does:
 * {@code (rule condition) and (filter condition)} — so an exclusion is written {@code not selection}.
 *
 * @param info  title, id and where it was read
 * @param rules the ids or names of the rules it applies to
 */
public record SigmaFilter(RuleInfo info, List<String> rules) {
    public SigmaFilter {
        rules = List.copyOf(rules);
    }
}
