package io.kmswatch.streams.state;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.KeyValueStoreBuilder;
import org.apache.kafka.streams.state.internals.WindowStoreBuilder;

/**
 * Store builders for the detect stage's state: Kafka Streams' own stores (metered, changelogged, no byte
 * cache) under a write-behind object map ({@link WriteBehindKeyValueStore}, {@link WriteBehindWindowStore}).
 *
 * <p>Why not Kafka Streams' record cache: it keeps serialised bytes, so every read of a hot value deserialises
 * it and every write serialises it, through a sorted map of byte keys; in profiles of the detect benchmark that
 * was the largest cost of the topology after parsing. The object map keeps what the processors compute and
 * serialises each changed value once per commit, which is all the changelog needs.
 *
 * <p>The builders extend Kafka Streams' own so the topology sees a key-value or a window store, and so creates
 * the changelog topic with the right cleanup policy and retention (it tells window stores by their builder's
 * class). {@code WrappedStateStore} and these builders are public classes of {@code state.internals}; a Kafka
 * Streams upgrade is checked by the store tests.
 */
public final class WriteBehindStores {
    /** Values a store instance keeps as objects by default. */
    public static final int DEFAULT_CAPACITY = 4_096;

    private WriteBehindStores() {
    }

    /** A changelogged key-value store of {@code supplier}'s kind with string keys, caching {@code capacity} values. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(KeyValueBytesStoreSupplier supplier,
                                                                      Serde<V> valueSerde, int capacity) {
        return new KeyValueStoreBuilder<>(supplier, Serdes.String(), valueSerde, Time.SYSTEM) {
            @Override
            public KeyValueStore<String, V> build() {
                return new WriteBehindKeyValueStore<>(super.build(), capacity);
            }
        };
    }

    /** A changelogged window store of {@code supplier}'s kind with string keys, caching {@code capacity} windows. */
    public static <V> StoreBuilder<WindowStore<String, V>> window(WindowBytesStoreSupplier supplier,
                                                                  Serde<V> valueSerde, int capacity) {
        if (supplier.retainDuplicates()) {
            throw new IllegalArgumentException("a write-behind window store keeps one value per key and window");
        }
        return new WindowStoreBuilder<>(supplier, Serdes.String(), valueSerde, Time.SYSTEM) {
            @Override
            public WindowStore<String, V> build() {
                return new WriteBehindWindowStore<>(super.build(), supplier.retentionPeriod(), supplier.windowSize(),
                        capacity);
            }
        };
    }
}
