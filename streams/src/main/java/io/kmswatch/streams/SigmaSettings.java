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
 *     fold: 1h                                       # one alert per rule, caller and key per hour; 0: every match
 * }</pre>
 *
 * @param paths        rule files and directories; none by default
 * @param lenient      skip rules that cannot run (with a warning) instead of refusing to start
 * @param placeholders values of {@code %name%} placeholders for the {@code |expand} modifier
 * @param fold         how long the matches of one detection rule by one caller on one key (or, for records that
 *                     name no key, in one account and region) fold into the alert the first of them raised;
 *                     {@link #DEFAULT_FOLD} when absent, zero for an alert per matching record
 */
public record SigmaSettings(List<String> paths, Boolean lenient, Map<String, List<String>> placeholders,
                            java.time.Duration fold) {
    /** One alert per rule, caller and key an hour (as alerts' default suppression window folds repeats). */
    public static final java.time.Duration DEFAULT_FOLD = java.time.Duration.ofHours(1);

    public SigmaSettings {
        paths = List.copyOf(paths == null ? List.of() : paths);
        lenient = lenient != null && lenient;
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
        fold = fold == null ? DEFAULT_FOLD : fold;
        if (fold.isNegative()) {
            throw new IllegalArgumentException("detections.sigma.fold must not be negative: " + fold);
        }
    }

    public SigmaSettings(List<String> paths, Boolean lenient, Map<String, List<String>> placeholders) {
        this(paths, lenient, placeholders, null);
    }

    /** No rules. */
    public static SigmaSettings none() {
        return new SigmaSettings(null, null, null, null);
    }

    /** A copy with another fold period. */
    public SigmaSettings withFold(java.time.Duration f) {
        return new SigmaSettings(paths, lenient, placeholders, f);
    }

    /** A copy with more rule paths (the command line's {@code --rules}) and, when true, lenient. */
    public SigmaSettings plus(List<String> morePaths, boolean moreLenient) {
        List<String> all = new ArrayList<>(paths);
        all.addAll(morePaths);
        return new SigmaSettings(all, lenient || moreLenient, placeholders, fold);
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
