package io.kmswatch.streams.state;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * What the two write-behind stores share: the object map and the Kafka Streams hooks that keep the store
 * beneath exact. Kafka Streams calls {@link #flushCache()} on every registered store at the start of a commit,
 * before it flushes the producer; {@link #clearCache()} when it discards a task's uncommitted state.
 *
 * @param <S>  the store beneath
 * @param <CK> the object map's key
 * @param <V>  an immutable value type
 */
abstract class WriteBehindStore<S extends StateStore, CK, V> extends WrappedStateStore<S, String, V> {
    final ObjectCache<CK, V> cache;

    WriteBehindStore(S inner, int capacity) {
        super(inner);
        this.cache = new ObjectCache<>(capacity, this::writeDown);
    }

    /** Writes one value ({@code null}: a delete) to the store beneath. */
    abstract void writeDown(CK key, V value);

    /** Forgets what the store kept besides the object map (called when the store is (re)initialised). */
    void reset() {
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        cache.clear(); // a (re)initialised store is restored from the changelog: nothing cached is current
        reset();
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        cache.writeDirty();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        cache.clear();
        super.clearCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        cache.writeDirty();
        super.commit(changelogOffsets);
    }

    @Override
    public void close() {
        cache.clear();
        super.close();
    }
}
