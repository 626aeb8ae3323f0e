package io.kmswatch.alerts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alert manager's state for one condition key (detection + key ARN, or the fingerprint when
 * the finding is not about a key): the {@link AlertState} of each fingerprint seen under it.
 * A resolve clears every firing alert of the condition at once. Stored as JSON.
 *
 * @param states by fingerprint; never null
 */
record AlertBook(Map<String, AlertState> states) {
    AlertBook {
        states = states == null ? new LinkedHashMap<>() : new LinkedHashMap<>(states);
    }

    static AlertBook empty() {
        return new AlertBook(null);
    }
}
