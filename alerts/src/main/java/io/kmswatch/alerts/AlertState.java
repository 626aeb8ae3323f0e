package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import java.time.Instant;
import java.util.Objects;

/**
 * What the alert manager remembers about one fingerprint: the current alert, when its suppression
 * window started (event time of its first firing), the highest tier seen, and when it was resolved
 * (event time; null while firing). Stored as JSON in the alert manager's state store.
 *
 * @param alert       the alert as last emitted or folded; never null
 * @param windowStart event time of the first firing of this alert; never null
 * @param maxTier     highest detection tier folded in
 * @param resolvedAt  event time of the resolving detection, or null while firing
 */
record AlertState(Alert alert, Instant windowStart, int maxTier, Instant resolvedAt) {
    AlertState {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(windowStart, "windowStart");
    }

    boolean firing() {
        return resolvedAt == null;
    }
}
