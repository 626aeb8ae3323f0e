package io.kmswatch.streams;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used values of one processor's state store, as objects: a read finds them without the
 * store's byte cache and value deserialisation, which were the largest per-event costs of the topology. The
 * store stays the truth (changelogged, restored); this is a write-through copy that the processor keeps
 * consistent by putting every value it writes to the store here too. It holds only immutable values, is
 * owned by one processor instance (one stream thread), and must be {@linkplain #clear() cleared} whenever the
 * processor is (re)initialised, since a revived task restores its store from the changelog.
 *
 * @param <K> the cache key (the store key, or the store key and window start)
 * @param <V> an immutable value
 */
public final class HotValues<K, V> {
    private final LinkedHashMap<K, V> values;

    /** @param capacity the most entries kept (least recently used dropped first) */
    public HotValues(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.values = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached value, or null when not cached (which says nothing about the store). */
    public V get(K key) {
        return values.get(key);
    }

    /** Caches what was just read from or written to the store ({@code null} removes the entry). */
    public void put(K key, V value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    public void clear() {
        values.clear();
    }

    public int size() {
        return values.size();
    }
}
