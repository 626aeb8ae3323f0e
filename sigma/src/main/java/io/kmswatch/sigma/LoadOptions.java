package io.kmswatch.sigma;

import java.util.List;
import java.util.Map;

/**
 * How rules are loaded.
 *
 * @param lenient      true: a rule that cannot be run is skipped with a warning ({@link RuleSet#warnings()});
 *                     false: loading fails with every problem ({@link SigmaException})
 * @param placeholders values for {@code |expand} placeholders, by name without the percent signs
 *                     ({@code Administrators → [admin-*, root]}); a rule naming an unknown placeholder cannot run
 */
public record LoadOptions(boolean lenient, Map<String, List<String>> placeholders) {
    public LoadOptions {
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
        placeholders.values().forEach(v -> List.copyOf(v));
    }

    /** Strict, no placeholders. */
    public static LoadOptions strict() {
        return new LoadOptions(false, Map.of());
    }

    /** Lenient, no placeholders. */
    public static LoadOptions lenientOptions() {
        return new LoadOptions(true, Map.of());
    }
}
