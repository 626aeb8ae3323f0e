package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import io.kmswatch.events.Severity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a route matches. Every given condition must hold; an empty list or null means "any".
 * Detection ids may end in {@code *} ({@code key-*}). Key tags are read from the alert's
 * {@code tag:<TagKey>} attributes ({@link AlertLabels#TAG_PREFIX}); a tag value {@code "*"} means
 * "tag present".
 *
 * <pre>
 * match:
 *   detections: [key-disabled, key-deletion-*]
 *   severity: high            # at least high
 *   accounts: ["111122223333"]
 *   regions: [us-east-1]
 *   keyTags: {env: prod}
 *   keyArns: [arn:aws:kms:us-east-1:111122223333:key/…]
 * </pre>
 *
 * @param detections detection ids or {@code prefix*} patterns
 * @param severity   minimum severity, or null
 * @param accounts   account ids
 * @param regions    regions
 * @param keyTags    key tag → value (or {@code *})
 * @param keyArns    key ARNs
 */
public record RouteMatch(List<String> detections, Severity severity, List<String> accounts, List<String> regions,
                         Map<String, String> keyTags, List<String> keyArns) {
    public RouteMatch {
        detections = detections == null ? List.of() : List.copyOf(detections);
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        regions = regions == null ? List.of() : List.copyOf(regions);
        keyTags = keyTags == null ? Map.of() : Map.copyOf(keyTags);
        keyArns = keyArns == null ? List.of() : List.copyOf(keyArns);
        for (String d : detections) {
            if (d.isBlank() || d.indexOf('*') >= 0 && d.indexOf('*') != d.length() - 1) {
                throw new IllegalArgumentException("route detection pattern '" + d
                        + "' may only have '*' at its end");
            }
        }
    }

    /** Matches every alert. */
    public static RouteMatch any() {
        return new RouteMatch(null, null, null, null, null, null);
    }

    /** True when the alert satisfies every condition. */
    public boolean matches(Alert a) {
        if (!detections.isEmpty() && detections.stream().noneMatch(p -> glob(p, a.detection()))) {
            return false;
        }
        if (severity != null && !a.severity().atLeast(severity)) {
            return false;
        }
        if (!accounts.isEmpty() && !accounts.contains(a.accountId())) {
            return false;
        }
        if (!regions.isEmpty() && !regions.contains(a.region())) {
            return false;
        }
        if (!keyArns.isEmpty() && !keyArns.contains(a.keyArn())) {
            return false;
        }
        for (Map.Entry<String, String> tag : keyTags.entrySet()) {
            String actual = a.attributes().get(AlertLabels.TAG_PREFIX + tag.getKey());
            if (actual == null || !("*".equals(tag.getValue()) || Objects.equals(actual, tag.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean glob(String pattern, String value) {
        return pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(value);
    }
}
