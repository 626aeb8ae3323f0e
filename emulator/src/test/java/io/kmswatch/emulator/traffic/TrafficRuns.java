package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.ScenarioLabel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs the generator against an in-process emulator and keeps what came out: records, labels, the label file. */
final class TrafficRuns {

    private TrafficRuns() {
    }

    record Result(TrafficSummary summary, List<CloudTrailEvent> records, List<ScenarioLabel> sunk, String labelFile) {

        /** eventName → count over every record of the run (both copies of cross-account calls). */
        Map<String, Long> eventNameCounts() {
            Map<String, Long> counts = new TreeMap<>();
            records.forEach(r -> counts.merge(r.eventName(), 1L, Long::sum));
            return counts;
        }

        /**
         * Records from a label's start on, in emission order. No upper bound: on a fast clock and a busy
         * machine the run falls behind its plan ({@link TrafficSummary#maxLag()}) and a scenario's records land
         * after its planned end; in a run of one scenario everything after its start is its own or background.
         */
        List<CloudTrailEvent> during(ScenarioLabel label) {
            return records.stream().filter(r -> !r.eventTime().isBefore(label.start().minusSeconds(1))).toList();
        }
    }

    static TrafficConfig config(long seed, Duration duration, double clockSpeed, List<String> scenarios, Path labels) {
        return new TrafficConfig(seed, 40.0, duration, clockSpeed, null, null, scenarios, null, null, labels);
    }

    /** A run with the emulator the generator starts itself. */
    static Result run(TrafficConfig config) {
        List<CloudTrailEvent> records = Collections.synchronizedList(new ArrayList<>());
        List<ScenarioLabel> sunk = Collections.synchronizedList(new ArrayList<>());
        try (TrafficGenerator generator = new TrafficGenerator(config, sunk::add)) {
            KmsEmulator emulator = generator.emulator().orElseThrow();
            emulator.addListener(records::add);
            TrafficSummary summary = generator.run();
            return new Result(summary, List.copyOf(records), List.copyOf(sunk), Files.readString(config.labels()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A run as {@code kmswatch traffic} (and demo, evaluate) makes it: the caller starts the in-process emulator with
     * {@link TrafficGenerator#emulatorConfig} and hands it to the generator, so the emulator clock has been running
     * for a while (the generator's construction, the SDK clients' start) before the plan is laid out.
     */
    static Result runWithOwnEmulator(TrafficConfig config) {
        List<CloudTrailEvent> records = Collections.synchronizedList(new ArrayList<>());
        List<ScenarioLabel> sunk = Collections.synchronizedList(new ArrayList<>());
        try (KmsEmulator emulator = KmsEmulator.start(TrafficGenerator.emulatorConfig(config,
                EmulatorConfig.defaults().withPort(0)));
             TrafficGenerator generator = new TrafficGenerator(config, emulator, sunk::add)) {
            emulator.addListener(records::add);
            TrafficSummary summary = generator.run();
            return new Result(summary, List.copyOf(records), List.copyOf(sunk), Files.readString(config.labels()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
