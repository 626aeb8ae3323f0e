package io.kmswatch.ingest.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.CheckpointStore;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.IngestTopics;
import io.kmswatch.ingest.KafkaRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poller's paging, checkpoint and dedup logic with a real SDK {@code CloudTrailClient} against
 * a stub LookupEvents server (the end-to-end test against the emulator lives in the app module).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class LookupEventsPollerIT {
    private static final String ACCOUNT = "111122223333";
    private static final String REGION = "us-east-1";
    private static final int PAGE = 5;

    private final Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    private LookupEventsStub stub;
    private IngestConfig ingest;
    private LookupConfig config;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp(EmbeddedKafkaBroker kafka) throws Exception {
        stub = new LookupEventsStub();
        ingest = new IngestConfig(KafkaRecords.uniquePrefix(), null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), null);
        IngestTopics.ensure(ingest, ingest.kafka());
        config = new LookupConfig(List.of(new LookupAccountConfig(ACCOUNT, null, null, null, null)), List.of(REGION),
                null, stub.url(), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofSeconds(1), 2.0, PAGE, 1000);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        stub.close();
    }

    /** A poller as a fresh process would build it: checkpoints read back from Kafka. */
    private LookupEventsPoller newPoller() {
        CheckpointStore store = CheckpointStore.load(ingest.kafka(), ingest.checkpointTopicName());
        EventPublisher publisher = new EventPublisher(ingest.kafka(), ingest.topics(), ingest.checkpointTopicName(),
                new IngestMetrics("lookup"));
        LookupEventsPoller poller = new LookupEventsPoller(ACCOUNT, REGION,
                LookupEventsSource.client(config, config.accounts().get(0), REGION), config, publisher, store);
        open.add(publisher);
        open.add(poller);
        return poller;
    }

    private List<String> addEvents(String prefix, int n, Instant from) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            stub.add(CloudTrailFixtures.decrypt().eventId(id).at(from.plusSeconds(i)).json());
            ids.add(id);
        }
        return ids;
    }

    private List<String> sentIds() {
        return KafkaRecords.readAll(ingest.kafka().get("bootstrap.servers"), ingest.topics().kmsEvents().name())
                .stream().map(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)).toList();
    }

    @Test
    void shouldSendEveryRecordExactlyOnceWhenRestartedInTheMiddleOfAPage() {
        List<String> all = addEvents("e", 23, t0);

        LookupEventsPoller first = newPoller();
        first.stopAfter(PAGE + 2); // third record of the second page
        IngestSummary before = first.poll();
        LookupCheckpoint saved = first.checkpoint();
        IngestSummary after = newPoller().poll();

        assertThat(before.produced()).isEqualTo(PAGE + 2);
        assertThat(saved.cycle()).isNotNull();
        assertThat(saved.cycle().token()).isNotNull();
        assertThat(saved.cycle().index()).isEqualTo(2);
        assertThat(after.produced()).isEqualTo(23 - PAGE - 2);
        assertThat(after.duplicates()).isZero();
        assertThat(sentIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);

        // every request of the poll, across the restart, repeated the same parameters
        List<JsonNode> requests = stub.requests();
        assertThat(requests).hasSize(5 + 1); // 5 pages + the page re-read after the restart
        for (JsonNode r : requests) {
            ObjectNode p = r.deepCopy();
            p.remove("NextToken");
            ObjectNode expected = requests.get(0).deepCopy();
            assertThat(p).isEqualTo(expected);
            assertThat(r.path("LookupAttributes").get(0).path("AttributeKey").asText()).isEqualTo("EventSource");
            assertThat(r.path("LookupAttributes").get(0).path("AttributeValue").asText()).isEqualTo("kms.amazonaws.com");
            assertThat(r.path("MaxResults").asInt()).isEqualTo(PAGE);
        }
        assertThat(requests.get(2).path("NextToken")).isEqualTo(requests.get(1).path("NextToken"));
        assertThat(after.records()).isEqualTo(23 - PAGE - 2);
    }

    @Test
    void shouldDropTheLookBackOverlapAndPickUpLateAndNewEvents() {
        List<String> all = new ArrayList<>(addEvents("a", 12, t0));
        LookupEventsPoller poller = newPoller();
        poller.poll();
        Instant newest = poller.checkpoint().newest();
        // the finished poll's checkpoint is in the topic when poll() returns: a new reader sees no open cycle
        assertThat(newPoller().checkpoint().cycle()).isNull();
        all.addAll(addEvents("late", 2, t0.minusSeconds(60))); // delivered late, inside the overlap
        all.addAll(addEvents("new", 3, t0.plusSeconds(100)));

        IngestSummary second = newPoller().poll();

        assertThat(newest).isEqualTo(t0.plusSeconds(11));
        assertThat(second.produced()).isEqualTo(5);
        assertThat(second.duplicates()).isEqualTo(12);
        assertThat(sentIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        JsonNode last = stub.requests().get(stub.requests().size() - 1);
        assertThat((long) last.path("StartTime").asDouble()).isEqualTo(newest.minus(Duration.ofMinutes(15))
                .getEpochSecond());
    }

    @Test
    void shouldBackOffAndRetryWhenThrottled() {
        List<String> all = addEvents("th", 7, t0);
        stub.throttle(2);
        LookupEventsPoller poller = newPoller();

        IngestSummary s = poller.poll();

        assertThat(s.produced()).isEqualTo(7);
        assertThat(sentIds()).containsExactlyInAnyOrderElementsOf(all);
        IngestMetrics m = poller.metrics();
        assertThat(m.lookupThrottles()).isEqualTo(2);
        assertThat(m.lookupCalls()).isEqualTo(2 + 2);
    }

    @Test
    void shouldRestartThePollWhenTheSavedTokenExpiredWithoutSendingTwice() {
        List<String> all = addEvents("x", 14, t0);
        LookupEventsPoller first = newPoller();
        first.stopAfter(PAGE + 3);
        first.poll();
        stub.forgetTokens();

        IngestSummary after = newPoller().poll();

        assertThat(after.duplicates()).isEqualTo(PAGE + 3);
        assertThat(sentIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void shouldRejectAnUnreadableCloudTrailEventAndGoOn() {
        List<String> all = addEvents("ok", 3, t0);
        stub.add("{\"eventID\": \"cut");
        IngestSummary s = newPoller().poll();

        assertThat(s.produced()).isEqualTo(3);
        assertThat(s.rejected()).isEqualTo(1);
        assertThat(sentIds()).containsExactlyInAnyOrderElementsOf(all);
        List<ConsumerRecord<String, byte[]>> rejected = KafkaRecords.readAll(ingest.kafka().get("bootstrap.servers"),
                ingest.topics().kmsEventsRejected().name());
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.key()).startsWith("lookup:" + ACCOUNT + "/" + REGION);
            assertThat(KafkaRecords.header(r, Topics.HEADER_REASON)).contains("unreadable CloudTrailEvent");
        });
    }

    @Test
    void shouldKeepPollingThroughTheIngestServiceUntilClosed() throws Exception {
        List<String> all = new ArrayList<>(addEvents("svc", 4, t0));
        IngestConfig withLookup = ingest.withSources(new io.kmswatch.ingest.SourcesConfig(config, null, null));
        try (io.kmswatch.ingest.IngestService service = io.kmswatch.ingest.IngestService.start(withLookup, Map.of(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            awaitSent(all);
            all.addAll(addEvents("svc-later", 2, t0.plusSeconds(30)));
            awaitSent(all); // the next poll, one pollInterval later
            assertThat(service.failure()).isEmpty();
        }
        assertThat(sentIds()).doesNotHaveDuplicates();
    }

    private void awaitSent(List<String> ids) throws InterruptedException {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(sentIds()).containsAll(ids));
    }
}
