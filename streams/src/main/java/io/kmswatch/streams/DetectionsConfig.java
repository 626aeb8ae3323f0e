package io.kmswatch.streams;

import io.kmswatch.events.config.ConfigYaml;
import io.kmswatch.events.config.EnvSubstitution;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the detections trust and how each one is tuned: the {@code detections:} section of the app
 * config, bound with Jackson and validated here. Defaults live in the record; tests build it directly.
 *
 * <pre>{@code
 * detections:
 *   trustedAccounts: ["111122223333"]
 *   trustedPrincipals: ["arn:aws:iam::111122223333:role/deployer-*"]   # ARN patterns, * matches anything
 *   trustedKeyTags: {lifecycle: ephemeral}                             # value "*" matches any value
 *   awsServiceAllowances: ["ec2.amazonaws.com", "rds.amazonaws.com"]   # invokedBy values
 *   plannedRetirements: [{keyArn: "arn:aws:kms:…:key/…", until: "2026-12-31T00:00:00Z", reason: "migration"}]
 *   grace: 15m              # late delivery accepted by windowed detections
 *   dedupRetention: 48h     # eventIDs remembered; at least grace + the longest window
 *   deletedKeyRetention: 30d   # a deleted key's facts stay in the key inventory this long after DeleteKey
 *   rules:
 *     decrypt-spike: {factor: 10, floor: 100, window: 5m, learningPeriod: 1h}
 *     key-disabled: {severity: critical}
 * }</pre>
 *
 * Durations are ISO-8601 ({@code PT15M}) or a number with a unit: {@code 90s}, {@code 15m}, {@code 2h},
 * {@code 7d}. Allow-lists are by principal ARN and account, never by user agent (attackers use the
 * stock AWS CLI).
 *
 * @param trustedAccounts      12-digit account ids whose use of our keys (and whose keys we use) is expected
 * @param trustedPrincipals    principal ARN patterns whose actions are expected
 * @param trustedKeyTags       keys carrying one of these tags are sanctioned throw-away keys: lifecycle
 *                             detections stay quiet for them
 * @param awsServiceAllowances AWS services ({@code invokedBy}) allowed to receive grants and to use keys
 *                             across accounts on a principal's behalf
 * @param plannedRetirements   announced key retirements
 * @param grace                how late an event may arrive and still count in its window
 * @param dedupRetention       how long eventIDs are remembered for deduplication
 * @param deletedKeyRetention  how long the key inventory keeps a key after its deletion (event time of the
 *                             DeleteKey, or of the snapshot that showed it deleted)
 * @param rules                per-detection settings keyed by detection id
 * @param sigma                users' own Sigma rules ({@link SigmaSettings})
 */
public record DetectionsConfig(List<String> trustedAccounts, List<String> trustedPrincipals,
                               Map<String, String> trustedKeyTags, List<String> awsServiceAllowances,
                               List<PlannedRetirement> plannedRetirements, Duration grace,
                               Duration dedupRetention, Map<String, RuleSettings> rules, SigmaSettings sigma,
                               Duration deletedKeyRetention) {
    /** Every detection id, as config keys and in {@code Detection.detection}. */
    public static final List<String> DETECTION_IDS = List.of("key-disabled", "key-deletion-scheduled",
            "key-deletion-pending", "key-destruction-chain", "key-rotation-disabled", "key-material-deleted",
            "key-material-imported", "custom-key-store-changed", "key-policy-opened", "grant-to-external-principal",
            "cross-account-key-use", "external-key-encryption", "decrypt-spike", "access-denied-burst",
            "key-unusable-failures", "new-principal-on-key", "new-source-ip", "root-key-usage");

    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofHours(48);
    public static final Duration DEFAULT_DELETED_KEY_RETENTION = Duration.ofDays(30);
    /** Services that act for principals in every account: EBS, RDS, Secrets Manager, SSM, S3, Lambda… */
    public static final List<String> DEFAULT_SERVICE_ALLOWANCES = List.of("ec2.amazonaws.com", "ebs.amazonaws.com",
            "rds.amazonaws.com", "secretsmanager.amazonaws.com", "ssm.amazonaws.com", "s3.amazonaws.com",
            "lambda.amazonaws.com", "cloudtrail.amazonaws.com", "dynamodb.amazonaws.com", "AWS Internal");

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    public DetectionsConfig {
        trustedAccounts = List.copyOf(trustedAccounts == null ? List.of() : trustedAccounts);
        for (String a : trustedAccounts) {
            if (a == null || !ACCOUNT.matcher(a).matches()) {
                throw new IllegalArgumentException("detections.trustedAccounts: '" + a + "' is not a 12-digit account id");
            }
        }
        trustedPrincipals = List.copyOf(trustedPrincipals == null ? List.of() : trustedPrincipals);
        for (String p : trustedPrincipals) {
            if (p == null || !p.startsWith("arn:")) {
                throw new IllegalArgumentException("detections.trustedPrincipals: '" + p
                        + "' is not an ARN pattern (arn:aws:iam::<account>:role/<name>, * as wildcard)");
            }
        }
        trustedKeyTags = Map.copyOf(trustedKeyTags == null ? Map.of() : trustedKeyTags);
        awsServiceAllowances = List.copyOf(awsServiceAllowances == null ? DEFAULT_SERVICE_ALLOWANCES : awsServiceAllowances);
        plannedRetirements = List.copyOf(plannedRetirements == null ? List.of() : plannedRetirements);
        grace = grace == null ? DEFAULT_GRACE : grace;
        if (grace.isNegative()) {
            throw new IllegalArgumentException("detections.grace must not be negative, got " + grace);
        }
        dedupRetention = dedupRetention == null ? DEFAULT_DEDUP_RETENTION : dedupRetention;
        if (dedupRetention.compareTo(grace) < 0 || dedupRetention.isZero()) {
            throw new IllegalArgumentException("detections.dedupRetention (" + dedupRetention
                    + ") must be positive and at least the grace (" + grace + ")");
        }
        Map<String, RuleSettings> r = new LinkedHashMap<>();
        if (rules != null) {
            for (Map.Entry<String, RuleSettings> e : rules.entrySet()) {
                if (!DETECTION_IDS.contains(e.getKey())) {
                    throw new IllegalArgumentException("detections.rules: unknown detection '" + e.getKey()
                            + "'; known: " + String.join(", ", DETECTION_IDS));
                }
                r.put(e.getKey(), e.getValue() == null ? RuleSettings.unset() : e.getValue());
            }
        }
        rules = Map.copyOf(r);
        sigma = sigma == null ? SigmaSettings.none() : sigma;
        deletedKeyRetention = deletedKeyRetention == null ? DEFAULT_DELETED_KEY_RETENTION : deletedKeyRetention;
        if (deletedKeyRetention.isNegative() || deletedKeyRetention.isZero()) {
            throw new IllegalArgumentException("detections.deletedKeyRetention must be positive, got " + deletedKeyRetention);
        }
    }

    /** A config with the default {@code deletedKeyRetention}. */
    public DetectionsConfig(List<String> trustedAccounts, List<String> trustedPrincipals,
                            Map<String, String> trustedKeyTags, List<String> awsServiceAllowances,
                            List<PlannedRetirement> plannedRetirements, Duration grace,
                            Duration dedupRetention, Map<String, RuleSettings> rules, SigmaSettings sigma) {
        this(trustedAccounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances, plannedRetirements, grace,
                dedupRetention, rules, sigma, null);
    }

    /** Everything at its default: nothing trusted, every detection on. */
    public static DetectionsConfig defaultConfig() {
        return new DetectionsConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** The settings of one detection, unset components taken from the detection's defaults. */
    public RuleSettings settings(String detectionId, RuleSettings defaults) {
        return rules.getOrDefault(detectionId, RuleSettings.unset()).orElse(defaults);
    }

    /** A copy with one detection's settings replaced (for tests and the app's overrides). */
    public DetectionsConfig withRule(String detectionId, RuleSettings settings) {
        Map<String, RuleSettings> r = new LinkedHashMap<>(rules);
        r.put(detectionId, settings);
        return new DetectionsConfig(trustedAccounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances,
                plannedRetirements, grace, dedupRetention, r, sigma, deletedKeyRetention);
    }

    /** A copy with only the given detections enabled. */
    public DetectionsConfig onlyEnabled(String... detectionIds) {
        List<String> on = List.of(detectionIds);
        DetectionsConfig c = this;
        for (String id : DETECTION_IDS) {
            c = c.withRule(id, rules.getOrDefault(id, RuleSettings.unset()).withEnabled(on.contains(id)));
        }
        return c;
    }

    public DetectionsConfig withTrustedAccounts(List<String> accounts) {
        return new DetectionsConfig(accounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances,
                plannedRetirements, grace, dedupRetention, rules, sigma, deletedKeyRetention);
    }

    public DetectionsConfig withTrustedPrincipals(List<String> principals) {
        return new DetectionsConfig(trustedAccounts, principals, trustedKeyTags, awsServiceAllowances,
                plannedRetirements, grace, dedupRetention, rules, sigma, deletedKeyRetention);
    }

    public DetectionsConfig withTrustedKeyTags(Map<String, String> tags) {
        return new DetectionsConfig(trustedAccounts, trustedPrincipals, tags, awsServiceAllowances,
                plannedRetirements, grace, dedupRetention, rules, sigma, deletedKeyRetention);
    }

    public DetectionsConfig withPlannedRetirements(List<PlannedRetirement> planned) {
        return new DetectionsConfig(trustedAccounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances,
                planned, grace, dedupRetention, rules, sigma, deletedKeyRetention);
    }

    public DetectionsConfig withGrace(Duration g) {
        return new DetectionsConfig(trustedAccounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances,
                plannedRetirements, g, dedupRetention, rules, sigma, deletedKeyRetention);
    }

    /** A copy with other Sigma rule settings. */
    public DetectionsConfig withSigma(SigmaSettings s) {
        return new DetectionsConfig(trustedAccounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances,
                plannedRetirements, grace, dedupRetention, rules, s, deletedKeyRetention);
    }

    public DetectionsConfig withDeletedKeyRetention(Duration d) {
        return new DetectionsConfig(trustedAccounts, trustedPrincipals, trustedKeyTags, awsServiceAllowances,
                plannedRetirements, grace, dedupRetention, rules, sigma, d);
    }

    public boolean isTrustedAccount(String account) {
        return account != null && trustedAccounts.contains(account);
    }

    /** True when the principal ARN matches a trusted pattern ({@code *} matches any run of characters). */
    public boolean isTrustedPrincipal(String principalArn) {
        if (principalArn == null) {
            return false;
        }
        for (String pattern : trustedPrincipals) {
            if (wildcardMatches(pattern, principalArn)) {
                return true;
            }
        }
        return false;
    }

    public boolean isAllowedService(String invokedBy) {
        return invokedBy != null && awsServiceAllowances.contains(invokedBy);
    }

    /** True when a planned retirement announced in config covers this key at this event time. */
    public boolean isPlannedRetirement(String keyArn, Instant at) {
        for (PlannedRetirement p : plannedRetirements) {
            if (p.covers(keyArn, at)) {
                return true;
            }
        }
        return false;
    }

    /** True when the key's tags include a trusted tag. */
    public boolean hasTrustedTag(Map<String, String> keyTags) {
        if (keyTags == null || keyTags.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> t : trustedKeyTags.entrySet()) {
            String v = keyTags.get(t.getKey());
            if (v != null && ("*".equals(t.getValue()) || t.getValue().equals(v))) {
                return true;
            }
        }
        return false;
    }

    static boolean wildcardMatches(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return s.matches(re.toString());
    }

    /**
     * Reads the {@code detections:} section of a YAML app config (or a document that is only that
     * section). {@code ${ENV_VAR}} is replaced by the variable's value.
     *
     * @throws DetectionException when the text is not valid YAML, names an unset variable, or fails validation
     */
    public static DetectionsConfig fromYaml(String yaml) {
        try {
            JsonNode root = YAML.readTree(EnvSubstitution.apply(yaml));
            if (root == null || root.isNull() || root.isMissingNode()) {
                return defaultConfig();
            }
            JsonNode section = root.has("detections") ? root.get("detections") : root;
            if (section == null || section.isNull()) {
                return defaultConfig();
            }
            return YAML.treeToValue(section, DetectionsConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new DetectionException("invalid detections config: " + rootMessage(e), e);
        }
    }

    /**
     * Reads {@link #fromYaml(String)} from a file.
     *
     * @throws DetectionException when the file cannot be read or the config is invalid
     */
    public static DetectionsConfig fromYaml(Path file) {
        try {
            return fromYaml(Files.readString(file));
        } catch (IOException e) {
            throw new DetectionException("cannot read detections config " + file + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m.split("\n")[0];
    }

    /** The shared configuration mapper: unknown keys are errors (a typo must not silently disable a setting). */
    static final ObjectMapper YAML = ConfigYaml.mapper();
}
