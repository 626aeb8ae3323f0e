package io.kmswatch.ingest.lookup;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The eventIDs already sent by one poller, with their event times, so that the look-back overlap
 * of each poll does not send a record twice. Bounded: {@link #prune} forgets IDs older than the
 * overlap, and beyond {@code capacity} the oldest are forgotten first (then a repeat can slip
 * through, and is dropped downstream by eventID). Not thread-safe: one poller owns it.
 */
final class EventIdWindow {
    private final int capacity;
    private final Map<String, Long> ids = new HashMap<>();

    EventIdWindow(int capacity, Map<String, Long> initial) {
        this.capacity = capacity;
        if (initial != null) {
            ids.putAll(initial);
        }
    }

    boolean contains(String eventId) {
        return ids.containsKey(eventId);
    }

    void add(String eventId, long epochSecond) {
        ids.put(eventId, epochSecond);
        if (ids.size() > 2 * capacity) {
            trimTo(capacity);
        }
    }

    /** Forgets IDs whose event time is before {@code minEpochSecond}, then trims to capacity. */
    void prune(long minEpochSecond) {
        ids.values().removeIf(t -> t < minEpochSecond);
        trimTo(capacity);
    }

    private void trimTo(int max) {
        if (ids.size() <= max) {
            return;
        }
        long[] cutoff = new long[1];
        ids.values().stream().sorted(Comparator.reverseOrder()).skip(max - 1L).findFirst()
                .ifPresent(t -> cutoff[0] = t);
        ids.values().removeIf(t -> t < cutoff[0]);
        // equal times at the cut may still exceed the bound; drop arbitrary ones among them
        var it = ids.entrySet().iterator();
        while (ids.size() > max && it.hasNext()) {
            if (it.next().getValue() == cutoff[0]) {
                it.remove();
            }
        }
    }

    int size() {
        return ids.size();
    }

    /** A copy for the checkpoint. */
    Map<String, Long> snapshot() {
        return new HashMap<>(ids);
    }
}
