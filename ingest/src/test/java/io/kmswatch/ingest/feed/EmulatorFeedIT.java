package io.kmswatch.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.CloudTrailListener;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.KafkaRecords;
import io.kmswatch.ingest.LogFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmulatorFeedIT {
    @Test
    void shouldPublishEveryKmsRecordTheEmulatorWritesFromManyThreads(EmbeddedKafkaBroker kafka) throws Exception {
        IngestConfig config = new IngestConfig(KafkaRecords.uniquePrefix(), null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<CloudTrailEvent> records = IntStream.range(0, 200)
                .mapToObj(i -> CloudTrailFixtures.encrypt().eventId("em-" + i).at(Instant.now()).build()).toList();

        try (EmulatorFeed feed = IngestService.emulatorFeed(config, Map.of(), registry)) {
            CloudTrailListener listener = feed;
            ExecutorService threads = Executors.newFixedThreadPool(4);
            records.forEach(r -> threads.execute(() -> listener.onRecord(r)));
            threads.execute(() -> listener.onRecord(CloudTrailEvent.parse(LogFixtures.ec2("em-ec2", Instant.now()))));
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        List<ConsumerRecord<String, byte[]>> events = KafkaRecords.readAll(kafka.bootstrapServers(),
                config.topics().kmsEvents().name());
        assertThat(events).hasSize(200);
        assertThat(events).allSatisfy(r -> assertThat(KafkaRecords.header(r, Topics.HEADER_SOURCE)).isEqualTo("emulator"));
        assertThat(registry.get("kmswatch.ingest.records.skipped").tag("source", "emulator").tag("reason", "filtered")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("kmswatch.ingest.records.produced").tag("source", "emulator").functionCounter().count())
                .isEqualTo(200.0);
    }
}
