package io.kmswatch.streams;

import java.time.Instant;
import java.util.Objects;

/**
 * A key whose disabling and deletion is announced in config, so lifecycle detections stay quiet for it
 * until {@code until} (event time). Bound from {@code detections.plannedRetirements[]}.
 *
 * @param keyArn the key; never null, must be a key ARN
 * @param until  end of the announcement, in event time; never null
 * @param reason free text for people, may be null
 */
public record PlannedRetirement(String keyArn, Instant until, String reason) {
    public PlannedRetirement {
        Objects.requireNonNull(keyArn, "plannedRetirements[].keyArn is required");
        Objects.requireNonNull(until, "plannedRetirements[].until is required (ISO-8601, e.g. 2026-12-31T00:00:00Z)");
        if (!io.kmswatch.events.KeyArns.isKeyArn(keyArn)) {
            throw new IllegalArgumentException("plannedRetirements[].keyArn '" + keyArn
                    + "' is not a key ARN (arn:aws:kms:<region>:<account>:key/<id>)");
        }
    }

    /** True when the announcement covers an event at {@code at}. */
    public boolean covers(String arn, Instant at) {
        return keyArn.equals(arn) && at.isBefore(until);
    }
}
