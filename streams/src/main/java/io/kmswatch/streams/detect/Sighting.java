package io.kmswatch.streams.detect;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * When something (an owner, an owner and member pair, an entity) was first and last seen, in event-time
 * milliseconds: the first sighting decides novelty and learning periods, the last one how long the entry
 * lives ({@link #expired}). {@code lastMs} is refreshed only when it moves by more than a step
 * ({@link #seenAt}), so a busy pair is written about once a day, not on every event. Immutable.
 */
public record Sighting(long firstMs, long lastMs) {
    private static final long DAY_MS = 24L * 3600 * 1000;

    public static Sighting at(long t) {
        return new Sighting(t, t);
    }

    /** The step by which {@code lastMs} advances for a lifetime of {@code ttlMs}: a day, or a quarter of a shorter one. */
    public static long refreshStep(long ttlMs) {
        return Math.max(1, Math.min(DAY_MS, ttlMs / 4));
    }

    /**
     * This sighting after one more at {@code t}: an earlier first sighting, or a last one later by more than
     * {@code stepMs}, give a new value; otherwise this same instance (nothing to write).
     */
    public Sighting seenAt(long t, long stepMs) {
        long first = Math.min(firstMs, t);
        long last = t > lastMs + stepMs ? t : lastMs;
        return first == firstMs && last == lastMs ? this : new Sighting(first, last);
    }

    /** True when nothing was seen for longer than {@code ttlMs} before {@code now} (an entry to forget). */
    public boolean expired(long now, long ttlMs) {
        return lastMs < now - ttlMs;
    }

    /**
     * Binary form {@code first:int64 last:int64}; an 8-byte value (the single first-seen time earlier versions
     * wrote to the same changelogs) reads as first = last.
     */
    public static final class BinarySerde implements Serde<Sighting> {
        @Override
        public Serializer<Sighting> serializer() {
            return (topic, s) -> s == null ? null : ByteBuffer.allocate(16).putLong(s.firstMs).putLong(s.lastMs).array();
        }

        @Override
        public Deserializer<Sighting> deserializer() {
            return (topic, data) -> {
                if (data == null) {
                    return null;
                }
                ByteBuffer in = ByteBuffer.wrap(data);
                if (data.length == 8) {
                    return Sighting.at(in.getLong());
                }
                if (data.length != 16) {
                    throw new SerializationException("a sighting is 8 or 16 bytes, got " + data.length);
                }
                return new Sighting(in.getLong(), in.getLong());
            };
        }
    }
}
