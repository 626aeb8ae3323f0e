package io.kmswatch.ingest.files;

import static io.kmswatch.ingest.LogFixtures.gzip;
import static io.kmswatch.ingest.LogFixtures.kms;
import static io.kmswatch.ingest.LogFixtures.records;
import static io.kmswatch.ingest.LogFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.KafkaRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
@ExtendWith(EmbeddedKafkaExtension.class)
class LogFileCrashIT {
    private static final int FILES = 20;
    private static final int RECORDS_PER_FILE = 500;

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingWhenTheProcessIsKilledMidDirectoryAndRestarted(EmbeddedKafkaBroker kafka) throws Exception {
        String prefix = KafkaRecords.uniquePrefix();
        Instant t = Instant.parse("2024-03-01T00:00:00Z");
        Set<String> all = new HashSet<>();
        for (int f = 0; f < FILES; f++) {
            int file = f;
            List<String> recs = IntStream.range(0, RECORDS_PER_FILE)
                    .mapToObj(i -> kms("c-" + file + "-" + i, t.plusSeconds(file * 1000L + i))).toList();
            recs.forEach(r -> all.add(r.substring(r.indexOf("\"eventID\":\"") + 11, r.indexOf("\"", r.indexOf("\"eventID\":\"") + 11))));
            write(dir.resolve(String.format("AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/f%02d.json.gz", f)),
                    gzip(records(recs)));
        }
        assertThat(all).hasSize(FILES * RECORDS_PER_FILE);

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashingReplay.class.getName(),
                kafka.bootstrapServers(), prefix, dir.toString(), "3000")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child replay ended").isTrue();
        assertThat(child.exitValue()).as("child was halted mid-directory, see child.log").isEqualTo(CrashingReplay.HALT_STATUS);

        IngestConfig config = new IngestConfig(prefix, null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), null);
        IngestSummary resumed = IngestService.replay(config, Map.of(), List.of(dir), false, new SimpleMeterRegistry());

        assertThat(resumed.filesSkipped()).as("files the crashed run completed").isPositive();
        assertThat(resumed.files()).as("files read again").isPositive().isLessThan(FILES);
        Set<String> arrived = KafkaRecords.readAll(kafka.bootstrapServers(), config.topics().kmsEvents().name())
                .stream().map(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)).collect(Collectors.toSet());
        assertThat(arrived).isEqualTo(all);
    }
}
