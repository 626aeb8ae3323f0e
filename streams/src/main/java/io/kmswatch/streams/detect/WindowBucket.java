package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The count of one entity in one tumbling window, with the highest tier already fired (-1 for none),
 * the event-time span and up to {@link Detection#MAX_EVIDENCE} evidence eventIDs.
 *
 * <p>A bucket is written back to its store on every counted event, so the evidence is kept in its stored
 * form ({@code n:int32 (len:int32 utf8[len]){n}}): counting an event appends to it while it has room and
 * shares it once full, and writing the bucket copies it; the ids are decoded only when a detection asks.
 * Immutable.
 */
public final class WindowBucket {
    private static final byte[] NO_EVIDENCE = {0, 0, 0, 0};
    private static final int HEADER = 8 + 4 + 8 + 8;

    private final long count;
    private final int tier;
    private final long firstMs;
    private final long lastMs;
    private final byte[] evidence;

    private WindowBucket(long count, int tier, long firstMs, long lastMs, byte[] evidence) {
        this.count = count;
        this.tier = tier;
        this.firstMs = firstMs;
        this.lastMs = lastMs;
        this.evidence = evidence;
    }

    public WindowBucket(long count, int tier, long firstMs, long lastMs, List<String> evidence) {
        this(count, tier, firstMs, lastMs, encode(evidence == null ? List.of() : evidence));
    }

    public static WindowBucket empty() {
        return new WindowBucket(0, -1, Long.MAX_VALUE, Long.MIN_VALUE, NO_EVIDENCE);
    }

    public long count() {
        return count;
    }

    public int tier() {
        return tier;
    }

    public long firstMs() {
        return firstMs;
    }

    public long lastMs() {
        return lastMs;
    }

    /** The evidence eventIDs, in counting order. */
    public List<String> evidence() {
        ByteBuffer in = ByteBuffer.wrap(evidence);
        int n = in.getInt();
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.getInt();
            ids.add(new String(evidence, in.position(), len, StandardCharsets.UTF_8));
            in.position(in.position() + len);
        }
        return List.copyOf(ids);
    }

    /** This bucket with one more event. */
    public WindowBucket plus(long ts, String eventId) {
        byte[] ev = evidence;
        int n = ByteBuffer.wrap(evidence).getInt();
        if (n < Detection.MAX_EVIDENCE && eventId != null) {
            byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
            ev = Arrays.copyOf(evidence, evidence.length + 4 + id.length);
            ByteBuffer out = ByteBuffer.wrap(ev);
            out.putInt(0, n + 1);
            out.position(evidence.length);
            out.putInt(id.length).put(id);
        }
        return new WindowBucket(count + 1, tier, Math.min(firstMs, ts), Math.max(lastMs, ts), ev);
    }

    public WindowBucket firedAt(int newTier) {
        return new WindowBucket(count, newTier, firstMs, lastMs, evidence);
    }

    private static byte[] encode(List<String> ids) {
        List<byte[]> bytes = new ArrayList<>(ids.size());
        int size = 4;
        for (String id : ids) {
            byte[] b = id.getBytes(StandardCharsets.UTF_8);
            bytes.add(b);
            size += 4 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(bytes.size());
        bytes.forEach(b -> out.putInt(b.length).put(b));
        return out.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowBucket b && count == b.count && tier == b.tier && firstMs == b.firstMs
                && lastMs == b.lastMs && Arrays.equals(evidence, b.evidence);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(evidence);
    }

    @Override
    public String toString() {
        return "WindowBucket[count=" + count + ", tier=" + tier + ", firstMs=" + firstMs + ", lastMs=" + lastMs
                + ", evidence=" + evidence() + "]";
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
                return ByteBuffer.allocate(HEADER + b.evidence.length).putLong(b.count).putInt(b.tier)
                        .putLong(b.firstMs).putLong(b.lastMs).put(b.evidence).array();
            };
        }

        @Override
        public Deserializer<WindowBucket> deserializer() {
            return (topic, data) -> {
                if (data == null) {
                    return null;
                }
                if (data.length < HEADER + 4) {
                    throw new SerializationException("window bucket of " + data.length + " bytes is too short");
                }
                ByteBuffer in = ByteBuffer.wrap(data);
                return new WindowBucket(in.getLong(), in.getInt(), in.getLong(), in.getLong(),
                        Arrays.copyOfRange(data, HEADER, data.length));
            };
        }
    }
}
