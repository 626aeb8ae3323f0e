package io.kmswatch.streams.state;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The window-store counterpart of {@link WriteBehindKeyValueStore}: point reads and writes of one window of
 * one key stay in the object map until Kafka Streams flushes caches at a commit; range reads write the dirty
 * windows down first. A window older than the retention reads as absent, as it does in the store beneath.
 *
 * <p>One exception keeps a baseline lookup cheap: the time range of a single key ({@link #fetch(String, long,
 * long)}) reads the store beneath and lays this key's cached windows over it, probing the object map at each
 * window start in the range, instead of writing every dirty window of the store down first (with thousands of
 * dirty windows, that write was most of the cost of a decrypt-spike baseline). This relies on windows starting
 * at multiples of the window size (tumbling windows aligned to the epoch), as every detection's do; ranges of
 * more than {@value #MAX_PROBES} windows fall back to writing down.
 *
 * @param <V> an immutable value type
 */
public final class WriteBehindWindowStore<V> extends WriteBehindStore<WindowStore<String, V>, WriteBehindWindowStore.At, V>
        implements WindowStore<String, V> {
    record At(String key, long start) {
    }

    static final int MAX_PROBES = 1_024;
    private final long retentionMs;
    private final long windowSizeMs;
    private long observedStreamTime = Long.MIN_VALUE;

    WriteBehindWindowStore(WindowStore<String, V> inner, long retentionMs, long windowSizeMs, int capacity) {
        super(inner, capacity);
        this.retentionMs = retentionMs;
        this.windowSizeMs = windowSizeMs;
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
        long first = windowSizeMs <= 0 ? 0 : Math.floorDiv(timeFrom + windowSizeMs - 1, windowSizeMs) * windowSizeMs;
        if (windowSizeMs <= 0 || timeTo < timeFrom || (timeTo - first) / windowSizeMs >= MAX_PROBES) {
            cache.writeDirty();
            return wrapped().fetch(key, timeFrom, timeTo);
        }
        TreeMap<Long, V> windows = new TreeMap<>();
        try (WindowStoreIterator<V> beneath = wrapped().fetch(key, timeFrom, timeTo)) {
            beneath.forEachRemaining(kv -> windows.put(kv.key, kv.value));
        }
        for (long start = first; start <= timeTo; start += windowSizeMs) {
            ObjectCache.Entry<V> e = cache.get(new At(key, start));
            if (e != null) {
                if (e.value() == null || expired(start)) {
                    windows.remove(start);
                } else {
                    windows.put(start, e.value());
                }
            }
        }
        Iterator<Map.Entry<Long, V>> it = windows.entrySet().iterator();
        return new WindowStoreIterator<>() {
            private Map.Entry<Long, V> peeked;

            @Override
            public void close() {
            }

            @Override
            public Long peekNextKey() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return peeked.getKey();
            }

            @Override
            public boolean hasNext() {
                if (peeked == null && it.hasNext()) {
                    peeked = it.next();
                }
                return peeked != null;
            }

            @Override
            public KeyValue<Long, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<Long, V> e = peeked;
                peeked = null;
                return KeyValue.pair(e.getKey(), e.getValue());
            }
        };
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
