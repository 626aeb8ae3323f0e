package io.kmswatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cardinality harness end to end at a tiny size: a real broker, real detect child JVMs. */
@org.junit.jupiter.api.Tag("system") // a broker and child JVMs
class CardinalityBenchmarkIT {

    @Test
    void drainsEachPointInAChildAndReportsItsRateMemoryAndState(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            CardinalityBenchmark bench = new CardinalityBenchmark(broker.bootstrapServers(), dir,
                    System.getProperty("java.class.path"), 3_000, 50);
            List<CardinalityBenchmark.Result> results = bench.run(List.of(new CardinalityBenchmark.Point(20, 2_000)),
                    Duration.ofMinutes(3));

            assertThat(results).hasSize(1);
            CardinalityBenchmark.Result r = results.get(0);
            assertThat(r.error()).isNull();
            assertThat(r.eventsPerSec()).isPositive();
            assertThat(r.peakRssMiB()).isBetween(20.0, 2048.0); // a JVM's own RSS, not this one's
            assertThat(r.stateDiskMiB()).isPositive();
            assertThat(r.events()).isEqualTo(4_000); // two passes over every principal

            // a point whose child cannot run is reported with its reason, and the next point still runs
            CardinalityBenchmark broken = new CardinalityBenchmark(broker.bootstrapServers(), dir,
                    dir.resolve("no-such.jar").toString(), 100, 50);
            List<CardinalityBenchmark.Result> failed = broken.run(List.of(new CardinalityBenchmark.Point(5, 50),
                    new CardinalityBenchmark.Point(6, 60)), Duration.ofMinutes(1));
            assertThat(failed).extracting(CardinalityBenchmark.Result::error).allSatisfy(e -> assertThat(e).contains("exited"));
            Path svg = CardinalityBenchmark.plot(results).write(dir.resolve("cardinality.svg"));
            assertThat(Files.readString(svg)).contains("<polyline", "events/s", "peak RSS");
        }
    }

    @Test
    void theWorstPointIsComparedWithTheSmallestAndFailedPointsAreLeftOut() {
        List<CardinalityBenchmark.Result> results = List.of(
                new CardinalityBenchmark.Result(10_000, 100_000, 0, 30_000, 700, 80, 10, null),
                new CardinalityBenchmark.Result(1_000, 10_000, 0, 40_000, 500, 10, 10, null),
                new CardinalityBenchmark.Result(100_000, 1_000_000, 0, 20_000, 900, 800, 10, null),
                new CardinalityBenchmark.Result(1_000_000, 10_000_000, 0, 0, 0, 0, 0, "the detect child exited"));

        assertThat(CardinalityBenchmark.worstVsBest(results)).isCloseTo(0.5, within(1e-9));
        assertThat(CardinalityBenchmark.peakRss(results)).isEqualTo(900);

        // a point that ran out of time counts with the rate it reached
        List<CardinalityBenchmark.Result> slow = new java.util.ArrayList<>(results);
        slow.add(new CardinalityBenchmark.Result(500_000, 5_000_000, 0, 4_000, 1_100, 5, 600, "incomplete: processed 1 of 2"));
        assertThat(CardinalityBenchmark.worstVsBest(slow)).isCloseTo(0.1, within(1e-9));
        assertThat(CardinalityBenchmark.peakRss(slow)).isEqualTo(1_100);
        assertThat(new CardinalityBenchmark.Point(1_000_000, 10_000_000).events(200_000)).isEqualTo(20_000_000);
        assertThat(new CardinalityBenchmark.Point(1_000, 10_000).events(200_000)).isEqualTo(200_000);
    }
}
