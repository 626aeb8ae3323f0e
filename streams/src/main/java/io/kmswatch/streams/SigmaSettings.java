package io.kmswatch.streams;

import io.kmswatch.sigma.LoadOptions;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.sigma.SigmaException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Users' own Sigma rules: the {@code detections.sigma} section of the config.
 *
 * <pre>{@code
 * detections:
 *   sigma:
 *     paths: [rules/, /etc/kmswatch/my-rules.yml]   # files, or directories of .yml/.yaml
 *     lenient: false                                 # true: skip a rule that cannot run, with a warning
 *     placeholders: {Administrators: ["arn:aws:iam::*:role/admin-*"]}   # values for |expand
 * }</pre>
 *
 * @param paths        rule files and directories; none by default
 * @param lenient      skip rules that cannot run (with a warning) instead of refusing to start
 * @param placeholders values of {@code %name%} placeholders for the {@code |expand} modifier
 */
public record SigmaSettings(List<String> paths, Boolean lenient, Map<String, List<String>> placeholders) {
    public SigmaSettings {
        paths = List.copyOf(paths == null ? List.of() : paths);
        lenient = lenient != null && lenient;
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
    }

    /** No rules. */
    public static SigmaSettings none() {
        return new SigmaSettings(null, null, null);
    }

    /** A copy with more rule paths (the command line's {@code --rules}) and, when true, lenient. */
    public SigmaSettings plus(List<String> morePaths, boolean moreLenient) {
        List<String> all = new ArrayList<>(paths);
        all.addAll(morePaths);
        return new SigmaSettings(all, lenient || moreLenient, placeholders);
    }

    /**
     * Loads and compiles the rules.
     *
     * @throws DetectionException listing every rule that cannot run (file, line, rule, reason), unless lenient
     */
    public RuleSet load() {
        if (paths.isEmpty()) {
            return RuleSet.empty();
        }
        try {
            return RuleSet.load(paths.stream().map(Path::of).toList(), new LoadOptions(lenient, placeholders));
        } catch (SigmaException e) {
            throw new DetectionException("Sigma rules: " + e.getMessage(), e);
        }
    }
}
