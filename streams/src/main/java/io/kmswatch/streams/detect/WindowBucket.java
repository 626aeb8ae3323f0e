package io.kmswatch.streams.detect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

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

    /**
     * Binary form, written on every counted event: {@code count:int64 tier:int32 first:int64 last:int64
     * n:int32 (len:int32 utf8[len]){n}}.
     */
    public static final class BinarySerde implements Serde<WindowBucket> {
        @Override
        public Serializer<WindowBucket> serializer() {
            return (topic, b) -> {
                if (b == null) {
                    return null;
                }
                List<byte[]> ids = new ArrayList<>(b.evidence().size());
                int size = 8 + 4 + 8 + 8 + 4;
                for (String id : b.evidence()) {
                    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
                    ids.add(bytes);
                    size += 4 + bytes.length;
                }
                ByteBuffer out = ByteBuffer.allocate(size);
                out.putLong(b.count()).putInt(b.tier()).putLong(b.firstMs()).putLong(b.lastMs()).putInt(ids.size());
                for (byte[] id : ids) {
                    out.putInt(id.length).put(id);
                }
                return out.array();
            };
        }

        @Override
        public Deserializer<WindowBucket> deserializer() {
            return (topic, data) -> {
                if (data == null) {
                    return null;
                }
                ByteBuffer in = ByteBuffer.wrap(data);
                long count = in.getLong();
                int tier = in.getInt();
                long first = in.getLong();
                long last = in.getLong();
                int n = in.getInt();
                List<String> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] id = new byte[in.getInt()];
                    in.get(id);
                    ids.add(new String(id, StandardCharsets.UTF_8));
                }
                return new WindowBucket(count, tier, first, last, ids);
            };
        }
    }
}
