package io.kmswatch.ingest.files;

import static io.kmswatch.ingest.LogFixtures.deliveryKey;
import static io.kmswatch.ingest.LogFixtures.ec2;
import static io.kmswatch.ingest.LogFixtures.gzip;
import static io.kmswatch.ingest.LogFixtures.kms;
import static io.kmswatch.ingest.LogFixtures.records;
import static io.kmswatch.ingest.LogFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.KafkaRecords;
import io.kmswatch.ingest.LogFixtures;
import io.kmswatch.ingest.SourcesConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class LogFileSourceIT {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldSendGoodRecordsOfEveryWrapperAndRejectTruncatedGzipAndGarbageLines(EmbeddedKafkaBroker kafka) {
        String prefix = KafkaRecords.uniquePrefix();
        IngestConfig config = new IngestConfig(prefix, null, null, 2, null, KafkaRecords.kafka(kafka.bootstrapServers()), null);
        Set<String> expected = new HashSet<>();

        // S3 layout, gzip: 3 KMS, 2 EC2 (skipped), 1 S3 write naming an SSE-KMS key (kept)
        List<String> a = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            a.add(kms("a-kms-" + i, T.plusSeconds(i)));
            expected.add("a-kms-" + i);
        }
        a.add(ec2("a-ec2-0", T));
        a.add(ec2("a-ec2-1", T));
        a.add(LogFixtures.s3Put("a-s3-0", T, "arn:aws:kms:us-east-1:444455556666:key/external"));
        expected.add("a-s3-0");
        Path tree = dir.resolve("trail");
        write(tree.resolve(deliveryKey("111122223333", "us-east-1", T, "AAAAAAAAAAAAAAAA")), gzip(records(a)));

        // a truncated gzip in the same folder: the records before the cut arrive, the rest is rejected
        List<String> b = IntStream.range(0, 40).mapToObj(i -> kms("b-kms-" + i, T.plusSeconds(100 + i))).toList();
        byte[] full = gzip(records(b));
        byte[] cut = Arrays.copyOf(full, full.length * 2 / 3);
        Path truncated = write(tree.resolve(deliveryKey("111122223333", "us-east-1", T.plusSeconds(300),
                "BBBBBBBBBBBBBBBB")), cut);
        CloudTrailCodec.Collected readable = new CloudTrailCodec.Collected();
        LogFiles.read(new CloudTrailCodec(), truncated, readable);
        assertThat(readable.records).isNotEmpty().hasSizeLessThan(40);
        readable.records.forEach(e -> expected.add(e.eventId()));

        // a digest file: skipped, neither sent nor rejected
        write(tree.resolve("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/"
                + "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240301T120000Z.json.gz"),
                gzip("{\"digestStartTime\":\"2024-03-01T11:00:00Z\",\"logFiles\":[]}"));

        // LookupEvents output and NDJSON with two garbage lines, outside any layout
        write(dir.resolve("misc/lookup.json"), LogFixtures.lookupEvents(List.of(kms("l-0", T), kms("l-1", T))));
        expected.addAll(List.of("l-0", "l-1"));
        write(dir.resolve("misc/events.ndjson"), kms("n-0", T) + "\nthis is not json\n" + kms("n-1", T)
                + "\n{\"eventID\": \"broken\n" + kms("n-2", T) + "\n");
        expected.addAll(List.of("n-0", "n-1", "n-2"));

        IngestSummary summary = IngestService.replay(config, Map.of(), List.of(tree, dir.resolve("misc")), false,
                new SimpleMeterRegistry());

        Topics topics = config.topics();
        List<ConsumerRecord<String, byte[]>> events = KafkaRecords.readAll(kafka.bootstrapServers(),
                topics.kmsEvents().name());
        assertThat(events).extracting(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID))
                .containsExactlyInAnyOrderElementsOf(expected);
        for (ConsumerRecord<String, byte[]> r : events) {
            CloudTrailEvent e = CloudTrailEvent.parse(r.value());
            assertThat(r.key()).isEqualTo(e.partitionKey());
            assertThat(r.timestamp()).isEqualTo(e.eventTime().toEpochMilli());
            assertThat(KafkaRecords.header(r, Topics.HEADER_SOURCE)).isEqualTo("files");
        }
        String original = a.get(0);
        assertThat(events.stream().filter(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID).equals("a-kms-0"))
                .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)))
                .singleElement().satisfies(v -> assertThat(v).isEqualTo(original));

        List<ConsumerRecord<String, byte[]>> rejected = KafkaRecords.readAll(kafka.bootstrapServers(),
                topics.kmsEventsRejected().name());
        assertThat(rejected).hasSize(3);
        assertThat(rejected).allSatisfy(r -> assertThat(KafkaRecords.header(r, Topics.HEADER_REASON)).isNotBlank());
        assertThat(rejected).anySatisfy(r -> {
            assertThat(r.key()).contains("BBBBBBBBBBBBBBBB");
            assertThat(KafkaRecords.header(r, Topics.HEADER_REASON)).contains("unreadable input");
        });
        assertThat(rejected).anySatisfy(r -> {
            assertThat(r.key()).endsWith("events.ndjson:line 2");
            assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("this is not json");
        });
        assertThat(rejected).anySatisfy(r -> assertThat(r.key()).endsWith("events.ndjson:line 4"));

        assertThat(summary.files()).isEqualTo(4);
        assertThat(summary.produced()).isEqualTo(expected.size());
        assertThat(summary.filtered()).isEqualTo(2);
        assertThat(summary.rejected()).isEqualTo(3);
    }

    @Test
    void shouldSendEveryRecordInFileOrderWithOneReader(EmbeddedKafkaBroker kafka) {
        String prefix = KafkaRecords.uniquePrefix();
        // one partition: the topic's order is the order of the sends
        IngestConfig config = new IngestConfig(prefix, null, null, 1, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), null);
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<String> file = new ArrayList<>();
            // more records than the reader hands the sender at once, with skipped ones among them
            for (int i = 0; i < 700; i++) {
                String id = "o-" + f + "-" + i;
                if (i % 50 == 7) {
                    file.add(ec2(id, T.plusSeconds(i)));
                } else {
                    file.add(kms(id, T.plusSeconds(i)));
                    expected.add(id);
                }
            }
            write(dir.resolve("ordered/f" + f + ".json.gz"), gzip(records(file)));
        }

        IngestSummary summary = IngestService.replay(config, Map.of(), List.of(dir.resolve("ordered")), false,
                new SimpleMeterRegistry());

        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), config.topics().kmsEvents().name()))
                .extracting(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)).containsExactlyElementsOf(expected);
        assertThat(summary.files()).isEqualTo(4);
        assertThat(summary.records()).isEqualTo(2800);
        assertThat(summary.produced()).isEqualTo(expected.size());
    }

    @Test
    void shouldSkipCompletedFilesWhenRunAgain(EmbeddedKafkaBroker kafka) {
        String prefix = KafkaRecords.uniquePrefix();
        IngestConfig config = new IngestConfig(prefix, null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), null);
        for (int f = 0; f < 5; f++) {
            int file = f;
            write(dir.resolve("logs/f" + f + ".json.gz"), gzip(records(IntStream.range(0, 20)
                    .mapToObj(i -> kms("r-" + file + "-" + i, T.plusSeconds(i))).toList())));
        }
        IngestSummary first = IngestService.replay(config, Map.of(), List.of(dir.resolve("logs")), false,
                new SimpleMeterRegistry());
        write(dir.resolve("logs/f9.json.gz"), gzip(records(List.of(kms("late-0", T)))));
        IngestSummary second = IngestService.replay(config, Map.of(), List.of(dir.resolve("logs")), false,
                new SimpleMeterRegistry());

        assertThat(first.files()).isEqualTo(5);
        assertThat(second.files()).isEqualTo(1);
        assertThat(second.filesSkipped()).isEqualTo(5);
        List<String> ids = KafkaRecords.readAll(kafka.bootstrapServers(), config.topics().kmsEvents().name()).stream()
                .map(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)).toList();
        assertThat(ids).hasSize(101).doesNotHaveDuplicates().contains("late-0");

        IngestSummary again = IngestService.replay(config, Map.of(),
                new FilesConfig(List.of(dir.resolve("logs")), false, null, false, null, null),
                new SimpleMeterRegistry(), false);

        assertThat(again.files()).as("not resuming: every file read again").isEqualTo(6);
        assertThat(again.filesSkipped()).isZero();
        assertThat(again.produced()).isEqualTo(101);
    }

    @Test
    void shouldPickUpNewFilesWhenFollowing(EmbeddedKafkaBroker kafka) throws Exception {
        String prefix = KafkaRecords.uniquePrefix();
        Path logs = dir.resolve("follow");
        write(logs.resolve("first.json"), records(List.of(kms("f-0", T))));
        FilesConfig files = new FilesConfig(List.of(logs), true, Duration.ofMillis(200), false, Duration.ZERO, null);
        IngestConfig config = new IngestConfig(prefix, null, null, 1, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), new SourcesConfig(null, files, null));
        // the first file must be older than the settle time of files still being written
        java.nio.file.Files.setLastModifiedTime(logs.resolve("first.json"),
                java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));

        try (IngestService service = IngestService.start(config, Map.of(), new SimpleMeterRegistry())) {
            awaitIds(kafka, config, Set.of("f-0"));
            Path later = write(logs.resolve("sub/second.json.gz"), gzip(records(List.of(kms("f-1", T), kms("f-2", T)))));
            java.nio.file.Files.setLastModifiedTime(later,
                    java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));
            awaitIds(kafka, config, Set.of("f-0", "f-1", "f-2"));
            assertThat(service.failure()).isEmpty();
        }
    }

    private static void awaitIds(EmbeddedKafkaBroker kafka, IngestConfig config, Set<String> ids)
            throws InterruptedException {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(KafkaRecords.readAll(kafka.bootstrapServers(),
                        config.topics().kmsEvents().name()).stream().map(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID))
                        .collect(Collectors.toSet())).as("eventIDs on kms-events").isEqualTo(ids));
    }
}
