package io.kmswatch.sigma;

import java.util.function.BiConsumer;

/**
 * Where correlation windows live between records: a key-value store of {@link GroupState} by group key. The
 * engine keeps nothing else that must survive a restart. {@code kmswatch detect} backs it with a changelogged
 * Kafka Streams store (exactly-once); {@link InMemoryCorrelationStore} serves tests and {@code rules test}.
 */
public interface CorrelationStore {
    /** The state of one group, or null. */
    GroupState get(String key);

    /** Replaces the state of one group; null deletes it. */
    void put(String key, GroupState state);

    /** Calls {@code action} for every group (the engine does not modify the store while iterating). */
    void forEach(BiConsumer<String, GroupState> action);
}
