package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.events.Json;
import io.kmswatch.events.ScenarioLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plan — when which scenario and background unit runs — without any emulator. */
class TrafficPlanTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    private TrafficGenerator generator(Duration duration, Duration every, List<String> scenarios) {
        // An endpoint, so no emulator is started: planning needs none.
        return new TrafficGenerator(new TrafficConfig(5L, 20.0, duration, 60.0, null, URI.create("http://127.0.0.1:9"),
                scenarios, every, null, dir.resolve("l.jsonl")), l -> { });
    }

    @Test
    void shouldInjectEveryScenarioOnceInsideEvenAShortRun() {
        Duration duration = Duration.ofMinutes(10);
        try (TrafficGenerator g = generator(duration, null, List.of("all"))) {
            List<ScenarioPlan> plans = g.schedule(TrafficGenerator.SCENARIOS, START, START.plus(duration));

            assertThat(plans).extracting(p -> p.scenario().type()).containsExactlyElementsOf(TrafficGenerator.scenarioTypes());
            assertThat(plans).allSatisfy(p -> {
                assertThat(p.start()).isAfterOrEqualTo(START);
                assertThat(p.end()).isBeforeOrEqualTo(START.plus(duration));
                assertThat(p.steps()).isNotEmpty().allSatisfy(s -> assertThat(s.at()).isBetween(p.start(), p.end()));
            });
        }
    }

    @Test
    void shouldRepeatScenariosInTurnEveryIncidentIntervalAfterWarmUp() {
        // Seven hours: one hour of warm-up (a quarter of the run, at most an hour), then one incident an hour.
        Duration duration = Duration.ofHours(7);
        try (TrafficGenerator g = generator(duration, Duration.ofHours(1), List.of("decrypt-spike", "root-key-usage"))) {
            List<ScenarioPlan> plans = g.schedule(List.of(new DecryptSpikeScenario(), new RootKeyUsageScenario()), START,
                    START.plus(duration));

            assertThat(plans).extracting(p -> p.scenario().type()).containsExactly("decrypt-spike", "root-key-usage",
                    "decrypt-spike", "root-key-usage", "decrypt-spike", "root-key-usage");
            assertThat(plans).extracting(ScenarioPlan::index).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(plans.get(0).start()).isAfter(START.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void shouldPlanTheSameTimesForTheSameSeed() {
        Duration duration = Duration.ofHours(2);
        try (TrafficGenerator a = generator(duration, null, List.of("all"));
             TrafficGenerator b = generator(duration, null, List.of("all"))) {
            assertThat(times(b.schedule(TrafficGenerator.SCENARIOS, START, START.plus(duration))))
                    .isEqualTo(times(a.schedule(TrafficGenerator.SCENARIOS, START, START.plus(duration))));
        }
    }

    @Test
    void shouldExpectNewPrincipalOnKeyWhereAPrincipalThatNeverUsedTheKeyCallsIt() {
        // The outsider decrypts the envelope key, the root user describes and decrypts it: neither ever touched it.
        assertThat(new UntrustedCrossAccountDecryptScenario().expectedDetections()).contains("new-principal-on-key");
        assertThat(new RootKeyUsageScenario().expectedDetections()).contains("new-principal-on-key");
        // The deploy look-alike calls as the application itself, from its own address: nothing is new.
        assertThat(new SmoothDeployLookAlike().expectedDetections()).isEmpty();
    }

    @Test
    void shouldPutASpikesFullRateIntoOneWholeClockAlignedFiveMinuteWindowWhereverTheScenarioStarts() {
        Duration duration = Duration.ofHours(2);
        long windowMs = Duration.ofMinutes(5).toMillis();
        for (Scenario spike : List.of(new DecryptSpikeScenario(), new CredentialCompromiseScenario())) {
            for (int k = 0; k < 10; k++) {
                Instant start = START.plusSeconds(37L * k);
                try (TrafficGenerator g = generator(duration, null, List.of(spike.type()))) {
                    ScenarioPlan plan = g.schedule(List.of(spike), start, start.plus(duration)).get(0);
                    long needed = Math.max(200, Math.round(25 * plan.normalCalls(plan.keyAlias(), Duration.ofMinutes(5))));
                    java.util.Map<Long, Long> perWindow = new java.util.HashMap<>();
                    plan.steps().forEach(t -> perWindow.merge(t.at().toEpochMilli() / windowMs, 1L, Long::sum));
                    // Not merely the whole loop, which would pass even when split over two windows, but one window.
                    assertThat(perWindow.values().stream().mapToLong(Long::longValue).max().orElse(0))
                            .as("%s starting %s", spike.type(), plan.start()).isGreaterThanOrEqualTo(needed);
                }
            }
        }
    }

    @Test
    void shouldRefuseUnknownScenarioName() {
        try (TrafficGenerator g = generator(Duration.ofMinutes(10), null, List.of("no-such-thing"))) {
            assertThatThrownBy(g::run).isInstanceOf(EmulatorException.class).hasMessageContaining("no-such-thing")
                    .hasMessageContaining("decrypt-spike");
        }
    }

    @Test
    void shouldMakeSameBackgroundForSameSeedAndFollowTheDailyShape() {
        Instant monday = Instant.parse("2026-03-02T00:00:00Z");
        List<String> a = arrivals(new Background(TrafficProfile.defaults(), 9, 0.05, monday, monday.plus(Duration.ofDays(1))));
        List<String> b = arrivals(new Background(TrafficProfile.defaults(), 9, 0.05, monday, monday.plus(Duration.ofDays(1))));
        List<String> other = arrivals(new Background(TrafficProfile.defaults(), 10, 0.05, monday, monday.plus(Duration.ofDays(1))));

        assertThat(a).isEqualTo(b).isNotEqualTo(other);
        long afternoon = a.stream().filter(s -> s.startsWith("2026-03-02T14")).count();
        long night = a.stream().filter(s -> s.startsWith("2026-03-02T03")).count();
        assertThat(afternoon).isGreaterThan(2 * night);
    }

    @Test
    void shouldShapeTrafficByHourAndWeekday() {
        assertThat(DailyShape.factor(Instant.parse("2026-03-02T14:00:00Z"))).isEqualTo(1.0);
        assertThat(DailyShape.factor(Instant.parse("2026-03-02T03:00:00Z"))).isLessThan(0.35);
        assertThat(DailyShape.factor(Instant.parse("2026-03-07T14:00:00Z"))).isEqualTo(0.4);
    }

    @Test
    void shouldWriteLabelsAsJsonLines() throws IOException {
        Path file = dir.resolve("labels.jsonl");
        List<ScenarioLabel> sunk = new ArrayList<>();
        ScenarioLabel label = new ScenarioLabel("s1-000-decrypt-spike", "decrypt-spike", List.of("decrypt-spike"),
                "arn:aws:kms:us-east-1:111122223333:key/k", "arn:aws:iam::111122223333:user/u", "111122223333",
                START, START.plusSeconds(900));
        try (LabelWriter writer = new LabelWriter(file, sunk::add)) {
            writer.write(label);
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).startsWith("{\"scenarioId\":\"s1-000-decrypt-spike\",\"type\":\"decrypt-spike\"")
                    .contains("\"start\":\"2026-03-02T09:00:00Z\"");
            assertThat(Json.MAPPER.readValue(line, ScenarioLabel.class)).isEqualTo(label);
        });
        assertThat(sunk).containsExactly(label);
    }

    private static List<Instant> times(List<ScenarioPlan> plans) {
        List<Instant> out = new ArrayList<>();
        plans.forEach(p -> p.steps().forEach(s -> out.add(s.at())));
        return out;
    }

    private static List<String> arrivals(Background background) {
        List<String> out = new ArrayList<>();
        while (background.peek() != null) {
            Instant at = background.peek();
            out.add(at + " " + background.take().name());
        }
        return out;
    }
}
