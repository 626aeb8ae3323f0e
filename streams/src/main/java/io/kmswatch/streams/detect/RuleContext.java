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
 * <p>Detection stores are in memory, backed by their changelogs: their size is bounded by keys,
 * principals and windows, not by traffic, and a RocksDB store costs a flush on every commit (dozens
 * of stores × ten commits a second under exactly-once). They keep their hot values as objects and write
 * each changed value down once per commit ({@link WriteBehindStores}): processors forward firings
 * themselves, so nothing waits for the write, and the changelog gets one record per changed key per commit.
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

    /** Adds a persistent key-value store of JSON values; returns its name. */
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

    /** Adds a persistent window store of JSON values with the given retention and window size; returns its name. */
    public <V> String windowStore(String name, Duration retention, Duration window, Class<V> type) {
        builder.addStateStore(WriteBehindStores.window(Stores.persistentWindowStore(name, retention, window, false),
                serde(type), WriteBehindStores.DEFAULT_CAPACITY));
        return name;
    }
}
