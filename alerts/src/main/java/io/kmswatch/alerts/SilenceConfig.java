package io.kmswatch.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A silence, as Alertmanager has them: alerts whose labels ({@link AlertLabels}) satisfy every
 * matcher while the silence is active are still written to {@code kms-alerts} (with the attribute
 * {@code silenced_by}) and counted, but routed to no sink. Activity is judged by the wall clock of
 * the processing instance, like Alertmanager's, not by event time: a silence means "not until
 * Friday", even on a replay of last year's logs.
 *
 * <pre>
 * silences:
 *   - id: maintenance-123
 *     matchers: ['detection="key-disabled"', 'account="111122223333"', 'key_arn=~".*:key/abc.*"']
 *     endsAt: 2026-12-01T00:00:00Z
 *     comment: key rotation drill
 * </pre>
 *
 * @param id        shown in {@code silenced_by}; defaults to {@code silence-<n>}
 * @param matchers  Alertmanager-style matchers, at least one
 * @param startsAt  null = always started
 * @param endsAt    required
 * @param comment   or null
 * @param createdBy or null
 */
public record SilenceConfig(String id, List<String> matchers, Instant startsAt, Instant endsAt, String comment,
                            String createdBy) {
    public SilenceConfig {
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("silence " + (id == null ? "" : "'" + id + "' ")
                    + "needs at least one matcher (a silence of everything is a mistake)");
        }
        matchers.forEach(LabelMatcher::parse);
        Objects.requireNonNull(endsAt, "silence " + (id == null ? "" : "'" + id + "' ") + "needs endsAt");
        if (startsAt != null && !startsAt.isBefore(endsAt)) {
            throw new IllegalArgumentException("silence " + id + ": startsAt must be before endsAt");
        }
    }

    /** The parsed matchers. */
    public List<LabelMatcher> parsedMatchers() {
        return matchers.stream().map(LabelMatcher::parse).toList();
    }

    /** True when active at {@code now} (wall clock). */
    public boolean activeAt(Instant now) {
        return (startsAt == null || !now.isBefore(startsAt)) && now.isBefore(endsAt);
    }
}
