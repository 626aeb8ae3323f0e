package io.kmswatch.ingest.s3;

import static io.kmswatch.ingest.LogFixtures.ec2;
import static io.kmswatch.ingest.LogFixtures.gzip;
import static io.kmswatch.ingest.LogFixtures.kms;
import static io.kmswatch.ingest.LogFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.MotoServer;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.KafkaRecords;
import io.kmswatch.ingest.LogFixtures;
import io.kmswatch.ingest.SourcesConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(EmbeddedKafkaExtension.class)
class S3LogSourceIT {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");
    private static MotoServer moto;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private static S3Config config(String bucket, String prefix) {
        return new S3Config(List.of(bucket), List.of(prefix), moto.url(), "us-east-1", null, null, null, false, null);
    }

    private static void put(S3Client s3, String bucket, String key, byte[] content) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    private static IngestSummary runOnce(IngestConfig config) throws InterruptedException {
        try (IngestService service = IngestService.start(config, Map.of(), new SimpleMeterRegistry())) {
            assertThat(service.awaitTermination(Duration.ofSeconds(120))).as("one pass ended").isTrue();
            return service.summaries().get("s3");
        }
    }

    @Test
    void shouldReadEveryTrailPrefixOfAccountAndOrganizationTrailsAndResumeAfterTheCheckpoint(
            EmbeddedKafkaBroker kafka) throws Exception {
        String bucket = "trail-" + UUID.randomUUID().toString().substring(0, 8);
        S3Config s3config = config(bucket, "org/");
        IngestConfig config = new IngestConfig(KafkaRecords.uniquePrefix(), null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), new SourcesConfig(null, null, s3config));
        List<String> expected = new ArrayList<>();
        try (S3Client s3 = S3LogSource.client(s3config)) {
            s3.createBucket(r -> r.bucket(bucket));
            put(s3, bucket, "org/" + LogFixtures.deliveryKey("111122223333", "us-east-1", T, "AAAAAAAAAAAAAAAA"),
                    gzip(records(List.of(kms("u1-0", T), kms("u1-1", T), kms("u1-2", T), ec2("u1-ec2", T)))));
            put(s3, bucket, "org/" + LogFixtures.deliveryKey("111122223333", "us-east-1", T.plusSeconds(300),
                    "BBBBBBBBBBBBBBBB"), "this is not a log file".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            put(s3, bucket, "org/" + LogFixtures.deliveryKey("111122223333", "eu-west-1", T, "CCCCCCCCCCCCCCCC"),
                    gzip(records(List.of(kms("eu-0", T), kms("eu-1", T)))));
            put(s3, bucket, "org/AWSLogs/o-abc123def4/" + LogFixtures.deliveryKey("444455556666", "us-east-1", T,
                    "DDDDDDDDDDDDDDDD").substring("AWSLogs/".length()),
                    gzip(records(List.of(kms("org-0", T), kms("org-1", T)))));
            put(s3, bucket, "org/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/"
                    + "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240301T120000Z.json.gz",
                    gzip("{\"digestStartTime\":\"2024-03-01T11:00:00Z\"}"));
            expected.addAll(List.of("u1-0", "u1-1", "u1-2", "eu-0", "eu-1", "org-0", "org-1"));

            IngestSummary first = runOnce(config);

            assertThat(first.files()).isEqualTo(4);
            assertThat(first.produced()).isEqualTo(7);
            assertThat(first.filtered()).isEqualTo(1);
            assertThat(first.rejected()).isEqualTo(1);
            List<ConsumerRecord<String, byte[]>> rejected = KafkaRecords.readAll(kafka.bootstrapServers(),
                    config.topics().kmsEventsRejected().name());
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(r.key()).startsWith("s3://" + bucket + "/org/AWSLogs/").contains("BBBBBBBBBBBBBBBB");
                assertThat(KafkaRecords.header(r, Topics.HEADER_REASON)).contains("not JSON");
            });

            // a later delivery: the next pass reads only it
            put(s3, bucket, "org/" + LogFixtures.deliveryKey("111122223333", "us-east-1", T.plusSeconds(3600),
                    "EEEEEEEEEEEEEEEE"), gzip(records(List.of(kms("u2-0", T.plusSeconds(3000))))));
            expected.add("u2-0");
            IngestSummary second = runOnce(config);

            assertThat(second.files()).isEqualTo(1);
            assertThat(second.produced()).isEqualTo(1);
        }
        List<ConsumerRecord<String, byte[]>> events = KafkaRecords.readAll(kafka.bootstrapServers(),
                config.topics().kmsEvents().name());
        assertThat(events).extracting(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(events).allSatisfy(r -> assertThat(KafkaRecords.header(r, Topics.HEADER_SOURCE)).isEqualTo("s3"));
    }
}
