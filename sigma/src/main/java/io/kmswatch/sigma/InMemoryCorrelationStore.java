package io.kmswatch.sigma;

import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A {@link CorrelationStore} in a sorted map: for tests and one-shot runs ({@code kmswatch rules test}). */
public final class InMemoryCorrelationStore implements CorrelationStore {
    private final TreeMap<String, GroupState> map = new TreeMap<>();

    @Override
    public GroupState get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, GroupState state) {
        if (state == null) {
            map.remove(key);
        } else {
            map.put(key, state);
        }
    }

    @Override
    public void forEach(BiConsumer<String, GroupState> action) {
        map.forEach(action);
    }

    public int size() {
        return map.size();
    }
}
