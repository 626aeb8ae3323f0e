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
import io.kmswatch.ingest.KafkaRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
}
