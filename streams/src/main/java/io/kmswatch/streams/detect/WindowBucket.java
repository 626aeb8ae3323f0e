package io.kmswatch.streams.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * The count of one entity in one tumbling window, with the highest tier already fired (-1 for none),
 * the event-time span and up to {@link io.kmswatch.events.Detection#MAX_EVIDENCE} evidence eventIDs.
 */
public record WindowBucket(long count, int tier, long firstMs, long lastMs, List<String> evidence) {
    public WindowBucket {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public static WindowBucket empty() {
        return new WindowBucket(0, -1, Long.MAX_VALUE, Long.MIN_VALUE, List.of());
    }

    /** This bucket with one more event. */
    public WindowBucket plus(long ts, String eventId) {
        List<String> ev = evidence;
        if (ev.size() < io.kmswatch.events.Detection.MAX_EVIDENCE && eventId != null) {
            ev = new ArrayList<>(evidence);
            ev.add(eventId);
        }
        return new WindowBucket(count + 1, tier, Math.min(firstMs, ts), Math.max(lastMs, ts), ev);
    }

    public WindowBucket firedAt(int newTier) {
        return new WindowBucket(count, newTier, firstMs, lastMs, evidence);
    }
}
