package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.ScenarioLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole runs through the real SDK against an in-process emulator. */
class TrafficGeneratorIT {

    private static final List<String> FEW = List.of("key-disabled-cleanup", "root-key-usage", "trusted-partner-use");

    @TempDir
    Path dir;

    @Test
    void shouldMakeSameCallsAndLabelsForSameSeed() {
        TrafficRuns.Result first = TrafficRuns.run(TrafficRuns.config(7, Duration.ofMinutes(30), 900, FEW, dir.resolve("a.jsonl")));
        TrafficRuns.Result second = TrafficRuns.run(TrafficRuns.config(7, Duration.ofMinutes(30), 900, FEW, dir.resolve("b.jsonl")));

        assertThat(first.summary().labels()).hasSize(3);
        assertThat(second.labelFile()).as("byte-identical label files").isEqualTo(first.labelFile());
        assertThat(second.summary().keyArns()).isEqualTo(first.summary().keyArns());
        assertThat(second.eventNameCounts()).isEqualTo(first.eventNameCounts());
        assertThat(second.summary().byOperation()).isEqualTo(first.summary().byOperation());
        assertThat(first.sunk()).isEqualTo(first.summary().labels());
    }

    @Test
    void shouldMakeDifferentCallsForDifferentSeeds() {
        TrafficRuns.Result seven = TrafficRuns.run(TrafficRuns.config(7, Duration.ofMinutes(30), 900, FEW, dir.resolve("a.jsonl")));
        TrafficRuns.Result eight = TrafficRuns.run(TrafficRuns.config(8, Duration.ofMinutes(30), 900, FEW, dir.resolve("b.jsonl")));

        assertThat(eight.labelFile()).isNotEqualTo(seven.labelFile());
        assertThat(eight.summary().keyArns()).isNotEqualTo(seven.summary().keyArns());
        assertThat(eight.summary().byOperation()).isNotEqualTo(seven.summary().byOperation());
    }

    @Test
    void shouldDriveAnEmulatorThroughItsEndpointLearningItsClock() {
        TrafficConfig config = TrafficRuns.config(5, Duration.ofMinutes(20), 900, List.of("root-key-usage"),
                dir.resolve("remote.jsonl"));
        List<CloudTrailEvent> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KmsEmulator emulator = KmsEmulator.start(TrafficGenerator.emulatorConfig(config,
                EmulatorConfig.defaults().withPort(0)))) {
            emulator.addListener(records::add);
            TrafficSummary summary;
            try (TrafficGenerator generator = new TrafficGenerator(config.withEndpoint(emulator.endpoint()), l -> { })) {
                assertThat(generator.emulator()).isEmpty();
                summary = generator.run();
            }

            ScenarioLabel label = summary.labels().get(0);
            assertThat(label.start()).isAfter(config.clockStart()).isBefore(emulator.clock().instant());
            assertThat(records).anySatisfy(r -> {
                assertThat(r.userIdentity().type()).isEqualTo("Root");
                assertThat(r.eventTime()).isAfterOrEqualTo(label.start().minusSeconds(1));
            });
            assertThat(summary.failures()).isZero();
        }
    }

    /**
     * {@code kmswatch traffic --seed 7 --duration 1h --clock-speed 60 --scenarios all --labels FILE}, twice, with the
     * emulator started by the caller as the command starts it: byte-identical label files. The first run is also a
     * simulated hour of realistic traffic: the expected mix of operations from every workload, service calls
     * carrying {@code invokedBy}, every scenario injected once.
     */
    @Test
    void shouldRunAnHourOfRealisticTrafficWithEveryScenarioAndTheSameLabelsTwice() {
        TrafficRuns.Result run = TrafficRuns.runWithOwnEmulator(allScenarios(60, dir.resolve("hour-a.jsonl")));
        TrafficRuns.Result again = TrafficRuns.runWithOwnEmulator(allScenarios(60, dir.resolve("hour-b.jsonl")));

        assertThat(again.labelFile()).as("byte-identical label files").isEqualTo(run.labelFile());
        assertThat(run.eventNameCounts()).containsKeys("CreateKey", "CreateAlias", "EnableKeyRotation", "CreateGrant",
                "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "Decrypt", "Encrypt", "Sign", "GenerateMac",
                "VerifyMac", "DescribeKey", "PutKeyPolicy", "DisableKey", "ScheduleKeyDeletion");
        assertThat(run.eventNameCounts().get("Decrypt")).isGreaterThan(run.eventNameCounts().get("CreateKey"));
        Set<String> invokedBy = run.records().stream().map(r -> r.userIdentity().invokedBy())
                .filter(s -> s != null).collect(Collectors.toSet());
        assertThat(invokedBy).contains("s3.amazonaws.com", "ec2.amazonaws.com", "secretsmanager.amazonaws.com");
        assertThat(run.records()).filteredOn(r -> "s3.amazonaws.com".equals(r.userIdentity().invokedBy()))
                .allSatisfy(r -> assertThat(r.sourceIpAddress()).isEqualTo("s3.amazonaws.com"));
        assertThat(run.summary().labels()).extracting(ScenarioLabel::type)
                .containsExactlyElementsOf(TrafficGenerator.scenarioTypes());
        assertThat(run.summary().labels()).allSatisfy(l -> assertThat(l.start())
                .isAfter(TrafficConfig.DEFAULT_START).isBefore(TrafficConfig.DEFAULT_START.plus(Duration.ofHours(2))));
        assertThat(run.summary().failures()).isZero();
        Set<String> directIps = run.records().stream().filter(r -> r.userIdentity().invokedBy() == null)
                .map(CloudTrailEvent::sourceIpAddress).collect(Collectors.toSet());
        assertThat(directIps).hasSizeGreaterThan(5);
    }

    /**
     * Every scenario at clock speeds where the plan's first steps come long after set-up, or where set-up takes
     * hours of emulator time and the run falls behind its plan: the labels are the planned ones, the same twice,
     * whether the generator started the emulator or was handed one.
     */
    @ParameterizedTest(name = "x{0}")
    @ValueSource(doubles = {900, 7200})
    void shouldWriteByteIdenticalLabelsForEveryScenarioAtAnyClockSpeed(double clockSpeed) {
        TrafficConfig first = allScenarios(clockSpeed, dir.resolve("first.jsonl"));
        TrafficRuns.Result handed = TrafficRuns.runWithOwnEmulator(first);
        TrafficRuns.Result own = TrafficRuns.run(first.withLabels(dir.resolve("second.jsonl")));

        assertThat(handed.summary().labels()).hasSize(TrafficGenerator.scenarioTypes().size());
        assertThat(own.labelFile()).as("byte-identical label files").isEqualTo(handed.labelFile());
    }

    private static TrafficConfig allScenarios(double clockSpeed, Path labels) {
        return new TrafficConfig(7L, 20.0, Duration.ofHours(1), clockSpeed, null, null, List.of("all"), null, null,
                labels);
    }
}
