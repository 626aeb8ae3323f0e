package io.kmswatch.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.KafkaRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replays the real invictus-ir CloudTrail set (55 S3-delivered files, 2,900 records, 240 of them
 * KMS; see shared/datasets/README.md). Runs only in the {@code shared-data} profile, reading the
 * data from {@code kmswatch.shared.dir}; the data is never copied into the repository.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class InvictusSharedDataIT {
    private static Path dataset() {
        String shared = System.getProperty("kmswatch.shared.dir");
        assertThat(shared).as("system property kmswatch.shared.dir").isNotNull();
        Path dir = Path.of(shared, "datasets", "invictus-ir__aws_dataset", "CloudTrail");
        assertThat(Files.isDirectory(dir)).as(dir + " exists").isTrue();
        return dir;
    }

    @Test
    void shouldSendAll240KmsRecordsAndSkipTheOthers(EmbeddedKafkaBroker kafka) {
        IngestConfig config = new IngestConfig(KafkaRecords.uniquePrefix(), null, null, 4, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), null);

        IngestSummary summary = IngestService.replay(config, Map.of(), List.of(dataset()), false,
                new SimpleMeterRegistry());

        assertThat(summary.files()).isEqualTo(55);
        assertThat(summary.records()).isEqualTo(2900);
        assertThat(summary.produced()).isEqualTo(240);
        assertThat(summary.filtered()).isEqualTo(2900 - 240);
        assertThat(summary.rejected()).isZero();
        List<ConsumerRecord<String, byte[]>> events = KafkaRecords.readAll(kafka.bootstrapServers(),
                config.topics().kmsEvents().name());
        assertThat(events).hasSize(240);
        assertThat(events).extracting(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(r -> {
            CloudTrailEvent e = CloudTrailEvent.parse(r.value());
            assertThat(e.isKms()).isTrue();
            assertThat(r.key()).isEqualTo(e.partitionKey()).startsWith("arn:aws:kms:");
        });
        assertThat(events.stream().map(r -> CloudTrailEvent.parse(r.value()).eventName()).distinct())
                .containsExactlyInAnyOrder("Decrypt", "Encrypt", "GenerateDataKey");
    }
}
