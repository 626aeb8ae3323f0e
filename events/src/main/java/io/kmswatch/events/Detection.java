package io.kmswatch.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One firing of a detection, as written to {@code kms-detections} (keyed by {@link #fingerprint}).
 * A detection may fire again for the same fingerprint when its count crosses a higher tier; the
 * fingerprint (detection, key, principal or account, window) is stable across restarts and
 * reprocessing, so the alert manager can fold repeats.
 *
 * @param fingerprint    stable identity of "the same finding"; never null
 * @param detection      the detection id, e.g. {@code key-disabled}; never null
 * @param severity       never null
 * @param title          one line for people; never null
 * @param summary        a few sentences: what happened and why it matters; never null
 * @param keyArn         the key, or null when the finding is not about one key
 * @param accountId      the account the finding is about (usually the key's), or null
 * @param region         or null
 * @param principal      the caller, or null
 * @param firstEventTime event time of the first evidence; never null
 * @param lastEventTime  event time of the last evidence; never null
 * @param count          events counted in the finding (≥ 1)
 * @param tier           the escalation tier of this firing (0 for the first firing)
 * @param evidence       up to {@link #MAX_EVIDENCE} eventIDs of the records behind the finding
 * @param runbook        what to check and the commands to respond; never null
 * @param attributes     detection-specific facts (baseline, deletion date, grantee, …); never null
 * @param resolves       true when this record reports that an earlier finding's condition cleared
 *                       (a disabled key re-enabled, a deletion cancelled)
 */
public record Detection(String fingerprint, String detection, Severity severity, String title, String summary,
                        String keyArn, String accountId, String region, String principal,
                        Instant firstEventTime, Instant lastEventTime, long count, int tier,
                        List<String> evidence, Runbook runbook, Map<String, String> attributes,
                        boolean resolves) {
    /** At most this many evidence eventIDs are carried. */
    public static final int MAX_EVIDENCE = 20;

    public Detection {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        summary = Objects.requireNonNullElse(summary, "");
        Objects.requireNonNull(firstEventTime, "firstEventTime");
        Objects.requireNonNull(lastEventTime, "lastEventTime");
        evidence = evidence == null ? List.of()
                : List.copyOf(evidence.size() > MAX_EVIDENCE ? evidence.subList(0, MAX_EVIDENCE) : evidence);
        runbook = Objects.requireNonNullElse(runbook, Runbook.empty());
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** Event time span in seconds. */
    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public long spanSeconds() {
        return lastEventTime.getEpochSecond() - firstEventTime.getEpochSecond();
    }
}
