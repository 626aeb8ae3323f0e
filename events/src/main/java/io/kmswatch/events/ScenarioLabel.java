package io.kmswatch.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Ground truth written by the traffic generator for each injected scenario, to
 * {@code kms-scenario-labels} and a JSONL file, read by {@code kmswatch evaluate}.
 *
 * @param scenarioId         unique per injection; never null
 * @param type               the scenario's name, e.g. {@code key-disabled-cleanup}; never null
 * @param expectedDetections detection ids that must fire; empty for look-alikes that must not
 * @param keyArn             the key involved, or null
 * @param principal          the principal involved, or null
 * @param accountId          the account involved, or null
 * @param start              emulator time the scenario started
 * @param end                emulator time the scenario ended
 */
public record ScenarioLabel(String scenarioId, String type, List<String> expectedDetections, String keyArn,
                            String principal, String accountId, Instant start, Instant end) {
    public ScenarioLabel {
        Objects.requireNonNull(scenarioId, "scenarioId");
        Objects.requireNonNull(type, "type");
        expectedDetections = expectedDetections == null ? List.of() : List.copyOf(expectedDetections);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** True for a benign look-alike: nothing may fire. */
    public boolean lookAlike() {
        return expectedDetections.isEmpty();
    }
}
