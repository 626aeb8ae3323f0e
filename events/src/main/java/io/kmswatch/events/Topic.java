package io.kmswatch.events;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic paired with the serdes of its key and value.
 *
 * @param name       the full topic name (prefix applied); never null
 * @param keySerde   never null
 * @param valueSerde never null
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
