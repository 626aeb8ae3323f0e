package io.kmswatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak harness end to end at a tiny size: a child JVM running broker, emulator, traffic, feed, detections, alerts. */
@org.junit.jupiter.api.Tag("system") // a broker and child JVMs
class SoakBenchmarkIT {

    @Test
    void reportsEachIntervalAndAccountsForEveryCall(@TempDir Path dir) throws Exception {
        List<String> progress = new ArrayList<>();
        SoakBenchmark.Result r = SoakBenchmark.run(Duration.ofSeconds(20), Duration.ofSeconds(10), 50, 1000, dir,
                System.getProperty("java.class.path"), progress::add);

        assertThat(r.intervals()).hasSize(2);
        assertThat(progress).hasSize(2);
        for (var i : r.intervals()) {
            assertThat(i).containsKeys("minute", "rssMiB", "heapAfterGcMiB", "stateDiskMiB", "latencyP99Ms", "callsMade");
            assertThat(SoakBenchmark.number(i, "rssMiB")).isPositive();
            assertThat(SoakBenchmark.number(i, "heapAfterGcMiB")).isPositive();
        }
        double samples = SoakBenchmark.number(r.intervals().get(0), "latencySamples")
                + SoakBenchmark.number(r.intervals().get(1), "latencySamples");
        assertThat(samples).isPositive(); // the probes' alerts arrived
        assertThat(SoakBenchmark.number(r.end(), "probeErrors")).isZero();
        assertThat(SoakBenchmark.number(r.end(), "probesWithoutAlert")).isZero();
        assertThat(SoakBenchmark.number(r.intervals().get(1), "stateDiskMiB")).isPositive();
        assertThat(SoakBenchmark.number(r.end(), "kmsEventsRecords")).isGreaterThanOrEqualTo(SoakBenchmark.number(r.end(), "callsMade"));
        assertThat(r.callsNotServed()).isZero();
        assertThat(r.trailRecordsNotOnKmsEvents()).isZero();        assertThat(SoakBenchmark.number(r.end(), "callsMade")).isGreaterThan(100);
        assertThat(r.kmsEventsNotCounted()).isZero();
        assertThat(r.rssGrowth()).isPositive();
        assertThat(r.peakRssMiB()).isPositive();
        Path svg = SoakBenchmark.memoryPlot(r).write(dir.resolve("soak-memory.svg"));
        assertThat(Files.readString(svg)).contains("RSS", "heap after GC");
    }
}
