package io.kmswatch.streams.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Walks a key-value store a slice at a time, in key order, resuming where the last slice stopped and starting
 * over at the end, and lets a {@link Pruner} drop or trim each entry. A processor calls {@link #sweep} from a
 * punctuator, so expired state leaves the store (and, through its changelog, the topic) without a full scan
 * at any one time: with millions of entries in RocksDB a full scan every minute would cost more than the
 * events themselves.
 *
 * <p>The position is kept in memory: after a restart the walk starts at the first key again, which only
 * visits some entries sooner. One stream thread owns a processor and so its sweeper; nothing is synchronised.
 *
 * @param <V> the store's value type
 */
public final class StoreSweeper<V> {
    /** Decides what becomes of one entry. */
    @FunctionalInterface
    public interface Pruner<V> {
        /**
         * @param now the sweeping processor's notion of now (event time)
         * @return {@code value} itself to keep the entry unchanged, null to delete it, another value to rewrite it
         */
        V prune(String key, V value, long now);
    }

    private final KeyValueStore<String, V> store;
    private final Pruner<V> pruner;
    private final int slice;
    /** The first key of the next slice; null: start at the first key. */
    private String next;

    /**
     * @param slice the most entries one {@link #sweep} looks at (≥ 1)
     */
    public StoreSweeper(KeyValueStore<String, V> store, Pruner<V> pruner, int slice) {
        if (slice < 1) {
            throw new IllegalArgumentException("slice must be >= 1: " + slice);
        }
        this.store = store;
        this.pruner = pruner;
        this.slice = slice;
    }

    /**
     * Looks at the next slice of entries and prunes them.
     *
     * @return how many entries it deleted
     */
    public int sweep(long now) {
        List<KeyValue<String, V>> seen = new ArrayList<>(Math.min(slice, 1024));
        String after = null;
        try (KeyValueIterator<String, V> it = store.range(next, null)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                if (seen.size() == slice) {
                    after = kv.key;
                    break;
                }
                seen.add(kv);
            }
        }
        next = after; // null: the walk reached the end and starts over next time
        int deleted = 0;
        for (KeyValue<String, V> kv : seen) {
            V kept = pruner.prune(kv.key, kv.value, now);
            if (kept == null) {
                store.delete(kv.key);
                deleted++;
            } else if (kept != kv.value) {
                store.put(kv.key, kept);
            }
        }
        return deleted;
    }
}
