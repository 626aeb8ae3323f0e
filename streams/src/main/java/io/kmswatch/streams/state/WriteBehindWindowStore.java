package io.kmswatch.streams.state;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The window-store counterpart of {@link WriteBehindKeyValueStore}: point reads and writes of one window of
 * one key stay in the object map until Kafka Streams flushes caches at a commit; range reads write the dirty
 * windows down first. A window older than the retention reads as absent, as it does in the store beneath.
 *
 * @param <V> an immutable value type
 */
public final class WriteBehindWindowStore<V> extends WriteBehindStore<WindowStore<String, V>, WriteBehindWindowStore.At, V>
        implements WindowStore<String, V> {
    record At(String key, long start) {
    }

    private final long retentionMs;
    private long observedStreamTime = Long.MIN_VALUE;

    WriteBehindWindowStore(WindowStore<String, V> inner, long retentionMs, int capacity) {
        super(inner, capacity);
        this.retentionMs = retentionMs;
    }

    @Override
    void writeDown(At at, V value) {
        wrapped().put(at.key(), value, at.start());
    }

    @Override
    void reset() {
        observedStreamTime = Long.MIN_VALUE;
    }

    private boolean expired(long windowStart) {
        return observedStreamTime != Long.MIN_VALUE && windowStart <= observedStreamTime - retentionMs;
    }

    @Override
    public void put(String key, V value, long windowStartTimestamp) {
        observedStreamTime = Math.max(observedStreamTime, windowStartTimestamp);
        if (expired(windowStartTimestamp)) {
            return; // the store beneath drops it too
        }
        cache.putDirty(new At(key, windowStartTimestamp), value);
    }

    @Override
    public V fetch(String key, long time) {
        if (expired(time)) {
            return null;
        }
        At at = new At(key, time);
        ObjectCache.Entry<V> e = cache.get(at);
        if (e != null) {
            return e.value();
        }
        V v = wrapped().fetch(key, time);
        cache.putClean(at, v);
        return v;
    }

    @Override
    public WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo) {
        cache.writeDirty();
        return wrapped().fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(String key, long timeFrom, long timeTo) {
        cache.writeDirty();
        return wrapped().backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        cache.writeDirty();
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        cache.writeDirty();
        return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetchAll(long timeFrom, long timeTo) {
        cache.writeDirty();
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetchAll(long timeFrom, long timeTo) {
        cache.writeDirty();
        return wrapped().backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> all() {
        cache.writeDirty();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardAll() {
        cache.writeDirty();
        return wrapped().backwardAll();
    }
}
