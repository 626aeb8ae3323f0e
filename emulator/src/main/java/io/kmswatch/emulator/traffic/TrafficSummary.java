package io.kmswatch.emulator.traffic;

import java.util.List;
import java.util.Map;

/**
 * What a run did.
 *
 * @param calls      KMS calls made
 * @param errors     calls answered with an AWS error (expected ones included: AccessDenied, DisabledException…)
 * @param failures   calls that got no answer (connection errors)
 * @param labels     scenario labels written, in order
 * @param byOperation calls per KMS operation
 * @param keyArns    the ARN of every key the run created, by alias name (without {@code alias/})
 * @param maxLag     how far (emulator time) the run fell behind its plan at worst: calls take real time, so on a
 *                   fast clock or a busy machine records land later than planned (and than the labels say)
 */
public record TrafficSummary(long calls, long errors, long failures,
                             List<io.kmswatch.events.ScenarioLabel> labels, Map<String, Long> byOperation,
                             Map<String, String> keyArns, java.time.Duration maxLag) {
    public TrafficSummary {
        labels = List.copyOf(labels);
        byOperation = Map.copyOf(byOperation);
        keyArns = Map.copyOf(keyArns);
    }
}
