package io.kmswatch.ingest.files;

import static io.kmswatch.ingest.LogFixtures.gzip;
import static io.kmswatch.ingest.LogFixtures.kms;
import static io.kmswatch.ingest.LogFixtures.records;
import static io.kmswatch.ingest.LogFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestException;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.KafkaRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class SendFailureIT {
    @TempDir
    Path dir;

    @Test
    void shouldStopWithClearErrorAndRecordNoFileDoneWhenSendsFail(EmbeddedKafkaBroker kafka) {
        String prefix = KafkaRecords.uniquePrefix();
        // only the checkpoint topic exists: every send to kms-events fails (no auto-creation)
        kafka.createTopics(1, prefix + "kms-ingest-checkpoints");
        IngestConfig config = new IngestConfig(prefix, null, false, 1, null, Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "max.block.ms", "2000",
                "delivery.timeout.ms", "3000",
                "request.timeout.ms", "1000",
                "linger.ms", "0"), null);
        write(dir.resolve("logs/a.json.gz"), gzip(records(List.of(kms("f-0", Instant.now()), kms("f-1", Instant.now())))));

        assertThatThrownBy(() -> IngestService.replay(config, Map.of(), List.of(dir.resolve("logs")), false,
                new SimpleMeterRegistry()))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("ingest source files stopped")
                .hasMessageContaining(prefix + "kms-events");
        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), prefix + "kms-ingest-checkpoints"))
                .as("no file recorded done").isEmpty();
    }

    @Test
    void shouldRejectARecordWhoseTimestampTheTopicRefusesAndGoOn(EmbeddedKafkaBroker kafka) {
        String prefix = KafkaRecords.uniquePrefix();
        // kms-events made outside kmswatch, with Kafka 4's default limit: at most one hour ahead
        kafka.createTopics(List.of(new NewTopic(prefix + "kms-events", 1, (short) 1)
                .configs(Map.of("message.timestamp.after.max.ms", "3600000"))));
        // ingest creates the topics still missing and leaves kms-events as it is
        IngestConfig config = new IngestConfig(prefix, null, true, 1, null, Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), null);
        Instant now = Instant.now();
        write(dir.resolve("logs/a.json.gz"), gzip(records(List.of(kms("ok-0", now),
                kms("ahead-1", now.plus(Duration.ofDays(2))), kms("ok-2", now.minusSeconds(60))))));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestSummary summary = IngestService.replay(config, Map.of(), List.of(dir.resolve("logs")), false, registry);

        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), prefix + "kms-events"))
                .extracting(r -> KafkaRecords.header(r, "eventID")).containsExactlyInAnyOrder("ok-0", "ok-2");
        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), prefix + "kms-events-rejected"))
                .singleElement().satisfies(r -> {
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("ahead-1");
                    assertThat(KafkaRecords.header(r, "reason")).contains("refuses eventTime")
                            .contains("message.timestamp.after.max.ms");
                });
        assertThat(summary.files()).isEqualTo(1);
        assertThat(summary.produced()).isEqualTo(2);
        assertThat(registry.find("kmswatch.ingest.records.rejected").functionCounters().stream()
                .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum()).isEqualTo(1.0);
    }
}
