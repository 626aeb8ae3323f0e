package io.kmswatch.ingest.files;

import static io.kmswatch.ingest.LogFixtures.gzip;
import static io.kmswatch.ingest.LogFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.BadInputCorpus;
import io.kmswatch.events.BadInputCorpus.Case;
import io.kmswatch.events.BadInputCorpus.Rejection;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.KafkaRecords;
import io.kmswatch.ingest.SourcesConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bad-input corpus through a running, following files source onto the embedded broker:
 * every rejection lands on {@code kms-events-rejected} keyed by its location with its reason, every
 * good record beside the bad ones lands on {@code kms-events}, records from the future are sent with
 * the {@code future} header and counted, the source never stops, and a good file written afterwards
 * is still ingested.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class BadInputIngestIT {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void shouldSendEachRejectionWithItsReasonKeepRunningAndStillIngestAGoodFile(EmbeddedKafkaBroker kafka)
            throws Exception {
        Path corpus = dir.resolve("corpus").toAbsolutePath();
        List<Case> cases = BadInputCorpus.cases();
        BadInputCorpus.writeAll(corpus);
        // Fits the codec's 4 MB limit, not the producer's 1 MB request: refused by ingest, not by the codec.
        String big = CloudTrailFixtures.decrypt().eventId("producer-limit-bad-1").build().rawJson()
                .replaceFirst("\\{", "{\"additionalEventData\":{\"padding\":\"" + "B".repeat(2 * 1024 * 1024) + "\"},");
        write(corpus.resolve("over-producer-limit.json"), "{\"Records\":[" + BadInputCorpus.record("producer-limit-1")
                + "," + big + "," + BadInputCorpus.record("producer-limit-2") + "]}");
        settle(corpus);

        String prefix = KafkaRecords.uniquePrefix();
        FilesConfig files = new FilesConfig(List.of(corpus), true, Duration.ofMillis(250), false, Duration.ZERO, null);
        IngestConfig config = new IngestConfig(prefix, null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), new SourcesConfig(null, files, null));
        Topics topics = config.topics();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        List<Expected> expectedRejections = new ArrayList<>();
        Set<String> expectedIds = new HashSet<>(Set.of("producer-limit-1", "producer-limit-2"));
        for (Case c : cases) {
            for (Rejection r : c.rejections()) {
                expectedRejections.add(new Expected(corpus.resolve(c.name()).toString(), r));
            }
            if (!c.recordsMayBeAPrefix()) {
                expectedIds.addAll(c.records());
            }
        }
        expectedRejections.add(new Expected(corpus.resolve("over-producer-limit.json").toString(),
                new Rejection(":record 2", "record of " + big.length() + " bytes exceeds the producer's max.request.size",
                        false)));

        try (IngestService service = IngestService.start(config, Map.of(), registry)) {
            List<ConsumerRecord<String, byte[]>> rejected = await(kafka, topics.kmsEventsRejected().name(),
                    expectedRejections.size(), Set.of());
            List<ConsumerRecord<String, byte[]>> events = await(kafka, topics.kmsEvents().name(), 0, expectedIds);

            assertThat(service.failure()).isEmpty();
            assertThat(rejected).hasSameSizeAs(expectedRejections);
            List<ConsumerRecord<String, byte[]>> unmatched = new ArrayList<>(rejected);
            for (Expected e : expectedRejections) {
                ConsumerRecord<String, byte[]> match = unmatched.stream().filter(e::matches).findFirst().orElse(null);
                assertThat(match).as("on %s: %s; for that file it holds %s", topics.kmsEventsRejected().name(), e,
                        unmatched.stream().filter(r -> r.key().startsWith(e.file()))
                                .map(r -> r.key() + " " + KafkaRecords.header(r, Topics.HEADER_REASON)).toList())
                        .isNotNull();
                unmatched.remove(match);
                assertThat(match.value().length).isLessThanOrEqualTo(64 * 1024);
            }
            assertThat(unmatched).isEmpty();

            Map<String, List<ConsumerRecord<String, byte[]>>> byId = events.stream()
                    .collect(Collectors.groupingBy(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)));
            assertThat(byId.keySet()).containsAll(expectedIds)
                    .allSatisfy(id -> assertThat(expectedIds.contains(id) || id.startsWith("gzip-corrupt-deflate-"))
                            .as("unexpected record %s", id).isTrue());
            assertThat(byId.values()).allSatisfy(list -> assertThat(list).hasSize(1));
            // three records are from the future: 2999, 2100 and 9999-12-31; they are sent, flagged and counted
            List<String> future = List.of("records-from-the-future-1", "records-from-the-future-2",
                    "out-of-range-timestamps-2");
            assertThat(events).filteredOn(r -> r.headers().lastHeader(Topics.HEADER_FUTURE) != null)
                    .extracting(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID))
                    .containsExactlyInAnyOrderElementsOf(future);
            assertThat(Long.parseLong(KafkaRecords.header(byId.get("records-from-the-future-2").get(0),
                    Topics.HEADER_FUTURE))).isGreaterThan(Duration.ofDays(365).toSeconds());
            assertThat(registry.get("kmswatch.ingest.records.future").tag("source", "files").functionCounter().count())
                    .isEqualTo(future.size());
            assertThat(registry.find("kmswatch.ingest.records.rejected").tag("source", "files").functionCounters()
                    .stream().mapToDouble(FunctionCounter::count).sum()).isEqualTo(expectedRejections.size());
            // the year-2999 record counts as now: the lag stays a lag
            assertThat(registry.get("kmswatch.ingest.lag.seconds").tag("source", "files").gauge().value())
                    .isGreaterThanOrEqualTo(0.0);

            Path later = write(corpus.resolve("later/after-the-corpus.json.gz"), gzip("{\"Records\":["
                    + BadInputCorpus.record("after-the-corpus-1") + "," + BadInputCorpus.record("after-the-corpus-2")
                    + "]}"));
            Files.setLastModifiedTime(later, FileTime.from(Instant.now().minusSeconds(60)));
            await(kafka, topics.kmsEvents().name(), 0, Set.of("after-the-corpus-1", "after-the-corpus-2"));
            assertThat(service.failure()).isEmpty();
        }
    }

    /** One rejection the topic must hold: its key (the location) and reason header. */
    private record Expected(String file, Rejection rejection) {
        boolean matches(ConsumerRecord<String, byte[]> r) {
            String key = r.key();
            String reason = KafkaRecords.header(r, Topics.HEADER_REASON);
            boolean where = rejection.location() == null ? key.startsWith(file) : key.equals(file + rejection.location());
            return where && reason != null
                    && (rejection.prefixOnly() ? reason.startsWith(rejection.reason()) : reason.equals(rejection.reason()));
        }

        @Override
        public String toString() {
            return file + " " + rejection;
        }
    }

    /**
     * Polls a topic (bounded) until it holds at least {@code count} records and every eventID in
     * {@code ids}; returns what it holds then.
     */
    private static List<ConsumerRecord<String, byte[]>> await(EmbeddedKafkaBroker kafka, String topic, int count,
                                                              Set<String> ids) throws InterruptedException {
        return Awaitility.await(count + " records on " + topic + " with eventIDs " + ids).atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> KafkaRecords.readAll(kafka.bootstrapServers(), topic), all -> all.size() >= count
                        && all.stream().map(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID))
                                .collect(Collectors.toSet()).containsAll(ids));
    }

    /** Dates every file a minute back: a following source waits for files written in the last two seconds. */
    private static void settle(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(60)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
