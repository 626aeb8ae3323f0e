package io.kmswatch.ingest.inventory;

import io.kmswatch.events.inventory.KeySnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one inventory read found.
 *
 * @param keys          one snapshot per key, in account, Region and key ARN order; never null
 * @param failures      account-Regions that could not be listed at all, with why; never null
 * @param took          wall time of the read
 * @param requests      operation → requests sent (retries included)
 * @param peakPerSecond operation → the most requests sent within any one second
 */
public record InventoryResult(List<KeySnapshot> keys, List<String> failures, Duration took,
                              Map<String, Long> requests, Map<String, Integer> peakPerSecond) {
    public InventoryResult {
        keys = List.copyOf(keys);
        failures = List.copyOf(failures);
        requests = Map.copyOf(requests);
        peakPerSecond = Map.copyOf(peakPerSecond);
    }
}
