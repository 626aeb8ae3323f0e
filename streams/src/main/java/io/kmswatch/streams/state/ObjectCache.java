package io.kmswatch.streams.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The object map behind the write-behind stores: the most recently used values of one store instance, some
 * of them dirty (written by the processor, not yet by the store beneath).
 *
 * <p>Rules that keep the store beneath, and so the changelog, exact:
 * <ul>
 *   <li>every dirty value is written down before Kafka Streams commits (its cache flush), before anything
 *       scans the store beneath, and when it is evicted; evicting a clean value only forgets it;</li>
 *   <li>a value read from the store beneath is kept clean (a {@code null} too: "absent" is remembered);</li>
 *   <li>a (re)initialised or cleared store forgets everything, dirty values included: Kafka Streams clears
 *       caches only when it discards the task's uncommitted state, and restores the store beneath from the
 *       changelog.</li>
 * </ul>
 * Values must be immutable: the processor's object and the cached one are the same object. One stream thread
 * owns a store instance, so nothing here is synchronised.
 */
final class ObjectCache<K, V> {
    /** A cached value; {@code value} null means absent (read absent, or deleted). */
    record Entry<V>(V value, boolean dirty) {
    }

    private final BiConsumer<K, V> writer;
    private final LinkedHashMap<K, Entry<V>> entries;
    private int dirty;
    private boolean writing;

    /**
     * @param capacity the most values kept (least recently used evicted first)
     * @param writer   writes one value (null: a delete) to the store beneath
     */
    ObjectCache(int capacity, BiConsumer<K, V> writer) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.writer = writer;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                if (eldest.getValue().dirty()) {
                    writer.accept(eldest.getKey(), eldest.getValue().value());
                    dirty--;
                }
                return true;
            }
        };
    }

    /** The cached entry, or null when this cache does not know (which says nothing about the store). */
    Entry<V> get(K key) {
        return entries.get(key);
    }

    /** Remembers what the store beneath holds for {@code key} ({@code null}: nothing). */
    void putClean(K key, V value) {
        Entry<V> before = entries.put(key, new Entry<>(value, false));
        if (before != null && before.dirty()) {
            // not reached by the stores (they read beneath only on a miss), kept exact all the same
            entries.put(key, before);
        }
    }

    /** Records a write ({@code null}: a delete) to be written down later. */
    void putDirty(K key, V value) {
        Entry<V> before = entries.put(key, new Entry<>(value, true));
        if (before == null || !before.dirty()) {
            dirty++;
        }
    }

    /** Writes every dirty value to the store beneath; they stay cached, clean. */
    void writeDirty() {
        if (dirty == 0 || writing) {
            return;
        }
        writing = true;
        try {
            for (Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext() && dirty > 0; ) {
                Map.Entry<K, Entry<V>> e = it.next();
                if (e.getValue().dirty()) {
                    writer.accept(e.getKey(), e.getValue().value());
                    e.setValue(new Entry<>(e.getValue().value(), false));
                    dirty--;
                }
            }
        } finally {
            writing = false;
        }
    }

    /** Forgets everything, dirty values included. */
    void clear() {
        entries.clear();
        dirty = 0;
    }

    int size() {
        return entries.size();
    }

    int dirtyCount() {
        return dirty;
    }
}
