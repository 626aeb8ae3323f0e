package io.kmswatch.streams.state;

import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store that keeps its hot values as objects and writes them to the store beneath (metered,
 * changelogged) only when Kafka Streams flushes caches, which it does at the start of every commit, before
 * it flushes the producer and commits the transaction: what the changelog holds at each commit is exactly what
 * it would hold with a write-through store. See {@link ObjectCache} for the rules.
 *
 * <p>Point reads and writes stay in the object map; anything that scans ({@code all}, {@code range}, …) first
 * writes the dirty values down and then scans the store beneath.
 *
 * @param <V> an immutable value type
 */
public final class WriteBehindKeyValueStore<V> extends WriteBehindStore<KeyValueStore<String, V>, String, V>
        implements KeyValueStore<String, V> {
    WriteBehindKeyValueStore(KeyValueStore<String, V> inner, int capacity) {
        super(inner, capacity);
    }

    @Override
    void writeDown(String key, V value) {
        if (value == null) {
            wrapped().delete(key);
        } else {
            wrapped().put(key, value);
        }
    }

    @Override
    public V get(String key) {
        ObjectCache.Entry<V> e = cache.get(key);
        if (e != null) {
            return e.value();
        }
        V v = wrapped().get(key);
        cache.putClean(key, v);
        return v;
    }

    @Override
    public void put(String key, V value) {
        cache.putDirty(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V before = get(key);
        if (before == null) {
            put(key, value);
        }
        return before;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        for (KeyValue<String, V> kv : entries) {
            put(kv.key, kv.value);
        }
    }

    @Override
    public V delete(String key) {
        V before = get(key);
        cache.putDirty(key, null);
        return before;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        cache.writeDirty();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        cache.writeDirty();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        cache.writeDirty();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        cache.writeDirty();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        cache.writeDirty();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        cache.writeDirty();
        return wrapped().approximateNumEntries();
    }
}
