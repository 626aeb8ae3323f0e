package io.kmswatch.streams.detect;

import io.kmswatch.events.JsonSerde;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RuleSettings;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.state.WriteBehindStores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * What a rule gets while it adds itself to the topology: the config, its merged settings, the
 * builder (for its state stores) and the metrics.
 *
 * <p>Detection stores are RocksDB stores backed by their changelogs, so the heap does not grow with keys,
 * principals and pairs: their native memory is bounded for the whole process by
 * {@link io.kmswatch.streams.state.BoundedRocksDbMemory} (one shared block cache, memtables charged to it).
 * In front of each store instance is a write-behind object cache ({@link WriteBehindStores}) of at most
 * {@link WriteBehindStores#DEFAULT_CAPACITY} values: processors read and write objects, each changed value is
 * written down once per commit, and the changelog gets one record per changed key per commit.
 *
 * <p>A store must not grow forever. Windows leave with the window store's retention; what a rule learns
 * about a key, a principal or a pair (first sightings, {@link Sighting}) lives
 * {@link RuleSettings#forgetAfter()} after it was last seen, is read as absent once expired, and is
 * deleted by a {@link io.kmswatch.streams.state.StoreSweeper} a slice at a time from a stream-time
 * punctuator. The top-level README's table "What state detect keeps" lists every store, its lifetime and
 * its bound.
 *
 * @param config   never null
 * @param settings the rule's settings, defaults applied; never null
 * @param builder  never null
 * @param metrics  never null
 */
public record RuleContext(DetectionsConfig config, RuleSettings settings, StreamsBuilder builder,
                          StreamsMetrics metrics) {
    /** The grace for late events. */
    public Duration grace() {
        return config.grace();
    }

    /** Adds a persistent (RocksDB) key-value store of {@code type} values (see {@link #serde}); returns its name. */
    public <V> String keyValueStore(String name, Class<V> type) {
        builder.addStateStore(WriteBehindStores.keyValue(Stores.persistentKeyValueStore(name), serde(type),
                WriteBehindStores.DEFAULT_CAPACITY));
        return name;
    }

    /** Compact serdes for the hot value types, JSON for the rest. */
    @SuppressWarnings("unchecked")
    static <V> Serde<V> serde(Class<V> type) {
        if (type == Long.class) {
            return (Serde<V>) Serdes.Long();
        }
        if (type == byte[].class) {
            return (Serde<V>) Serdes.ByteArray();
        }
        if (type == Sighting.class) {
            return (Serde<V>) new Sighting.BinarySerde();
        }
        if (type == WindowBucket.class) {
            return (Serde<V>) new WindowBucket.BinarySerde();
        }
        return new JsonSerde<>(type);
    }

    /**
     * Adds a persistent (RocksDB, segmented by time) window store of {@code type} values with the given retention
     * and window size; returns its name. Windows must start at multiples of the window size (see
     * {@link io.kmswatch.streams.state.WriteBehindWindowStore}).
     */
    public <V> String windowStore(String name, Duration retention, Duration window, Class<V> type) {
        builder.addStateStore(WriteBehindStores.window(Stores.persistentWindowStore(name, retention, window, false),
                serde(type), WriteBehindStores.DEFAULT_CAPACITY));
        return name;
    }
}
