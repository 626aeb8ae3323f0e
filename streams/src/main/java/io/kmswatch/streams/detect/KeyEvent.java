package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import java.util.Objects;

/**
 * One deduplicated record as detections see it: the event, and the key inventory's facts about its
 * key from before the event (null when the record names no key, or after the per-principal repartition).
 *
 * @param event never null
 * @param key   the key's facts before this event, or null
 */
public record KeyEvent(CloudTrailEvent event, KeyFacts key) {
    public KeyEvent {
        Objects.requireNonNull(event, "event");
    }
}
