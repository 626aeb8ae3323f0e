package io.kmswatch.streams.inventory;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The posture findings open on one key (stored as JSON, keyed by key ARN): finding id → event time
 * it was first reported, and the ids of the grants to other accounts behind {@code posture-grant-external}.
 *
 * @param open           never null
 * @param externalGrants never null
 */
public record PostureState(Map<String, Instant> open, List<String> externalGrants) {
    public PostureState {
        open = open == null ? Map.of() : new TreeMap<>(open);
        externalGrants = externalGrants == null ? List.of() : List.copyOf(externalGrants);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return open.isEmpty();
    }
}
