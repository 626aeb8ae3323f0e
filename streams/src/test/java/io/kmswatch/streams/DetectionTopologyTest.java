package io.kmswatch.streams;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static io.kmswatch.events.CloudTrailFixtures.scheduleKeyDeletion;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailEventSerde;
import io.kmswatch.events.ControlRecords;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Topics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionTopologyTest {
    @TempDir
    Path stateDir;
    private final StreamsMetrics metrics = new StreamsMetrics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, CloudTrailEvent> in;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, Detection> out;
    private TestOutputTopic<String, byte[]> rejected;

    @BeforeEach
    void start() {
        metrics.bindTo(registry);
        Topics topics = Topics.withPrefix("t.");
        Properties p = new DetectApp(StreamsSettings.of("unused:9092").withTopicPrefix("t.").withStateDir(stateDir),
                DetectionsConfig.defaultConfig(), metrics).streamsProperties();
        // TopologyTestDriver does not surface dead-letter records under exactly-once; DetectAppIT checks
        // them against a real broker with exactly_once_v2.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
        driver = new TopologyTestDriver(DetectionTopology.build(DetectionsConfig.defaultConfig(), topics, metrics), p);
        in = driver.createInputTopic("t.kms-events", new StringSerializer(), new CloudTrailEventSerde().serializer());
        raw = driver.createInputTopic("t.kms-events", new StringSerializer(), new ByteArraySerializer());
        out = driver.createOutputTopic("t.kms-detections", new StringDeserializer(),
                topics.kmsDetections().valueSerde().deserializer());
        rejected = driver.createOutputTopic("t.kms-events-rejected", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void pipe(CloudTrailEvent e) {
        in.pipeInput(e.partitionKey(), e, e.eventTime());
    }

    /** What {@code kmswatch replay} writes to each partition at the end: no key, no value, a control header. */
    private void tick(java.time.Instant at) {
        raw.pipeInput(new TestRecord<>(null, (byte[]) null, ControlRecords.settleTick("t.kms-events", 0, at).headers(), at));
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void shouldSendAnUnreadableValueToRejectedWithItsReasonAndKeepProcessing() {
        raw.pipeInput(KEY_ARN, "{\"eventName\":\"Decrypt\"".getBytes(StandardCharsets.UTF_8), T0);
        pipe(disableKey().at(T0).build());
        assertThat(out.readValuesToList()).extracting(Detection::detection).contains("key-disabled");
        TestRecord<String, byte[]> r = rejected.readRecord();
        assertThat(r.key()).isEqualTo("t.kms-events-0@0");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"eventName\":\"Decrypt\"");
        assertThat(r.headers().lastHeader(Topics.HEADER_REASON)).isNotNull();
        assertThat(count("kmswatch.streams.records.skipped", "reason", "not_valid_json")).isEqualTo(1);
        assertThat(registry.find("kmswatch.streams.records.skipped").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).isEqualTo(1);
    }

    @Test
    void shouldDropRepeatedDeliveriesBeforeAnyDetectionAndCountThem() {
        CloudTrailEvent e = disableKey().at(T0).build();
        pipe(e);
        pipe(e);
        pipe(e);
        assertThat(out.readValuesToList()).filteredOn(d -> d.detection().equals("key-disabled")).hasSize(1);
        assertThat(count("kmswatch.streams.duplicates")).isEqualTo(2);
        assertThat(count("kmswatch.streams.events", "event_name", "DisableKey", "outcome", "success")).isEqualTo(1);
    }

    @Test
    void shouldDropRecordsOlderThanTheDedupRetentionAsLate() {
        pipe(decrypt().at(T0.plus(Duration.ofDays(3))).build());
        pipe(disableKey().at(T0).build());
        assertThat(out.readValuesToList()).noneMatch(d -> d.detection().equals("key-disabled"));
        assertThat(count("kmswatch.streams.late", "stage", "dedup")).isEqualTo(1);
    }

    @Test
    void shouldExposeTheKeyInventoryAsGauges() {
        String other = "arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000003";
        pipe(decrypt().at(T0).build());
        pipe(event("CreateKey").key(other).at(T0).response("keyMetadata", java.util.Map.of("arn", other)).build());
        pipe(scheduleKeyDeletion(7).at(T0.plusSeconds(10)).build());
        assertThat(registry.get("kmswatch.streams.keys").tag("state", "PendingDeletion").gauge().value()).isEqualTo(1);
        assertThat(registry.get("kmswatch.streams.keys").tag("state", "Enabled").gauge().value()).isEqualTo(1);
        assertThat(registry.get("kmswatch.streams.keys.pending.deletion").gauge().value()).isEqualTo(1);
        assertThat(registry.get("kmswatch.streams.keys.without.rotation").gauge().value()).isEqualTo(1);
        assertThat(registry.get("kmswatch.streams.keys.soonest.deletion").gauge().value())
                .isEqualTo(T0.plusSeconds(10).plus(7, ChronoUnit.DAYS).getEpochSecond());
    }

    @Test
    void shouldDescribeEveryMeterAndCountDetectionsBySeverity() {
        pipe(disableKey().at(T0).build());
        assertThat(count("kmswatch.streams.detections", "detection", "key-disabled", "severity", "high")).isEqualTo(1);
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
            assertThat(m.getId().getName()).startsWith("kmswatch.streams.");
        }
    }

    @Test
    void shouldRepartitionOnceByPrincipalOnly() {
        String description = DetectionTopology.build(DetectionsConfig.defaultConfig(), Topics.DEFAULT).describe().toString();
        java.util.Set<String> repartitions = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[\\w.-]+-repartition").matcher(description);
        while (m.find()) {
            repartitions.add(m.group());
        }
        assertThat(repartitions).containsExactly(DetectionTopology.BY_PRINCIPAL + "-repartition");
        String withoutPrincipalRules = DetectionTopology.build(DetectionsConfig.defaultConfig().onlyEnabled("key-disabled"),
                Topics.DEFAULT).describe().toString();
        assertThat(withoutPrincipalRules).doesNotContain("repartition");
    }

    @Test
    void shouldKeepRunningOnRecordsOfOtherServicesAndWithoutKeys() {
        pipe(event("ListKeys").withoutResources().keyIdAsGiven("alias/none").at(T0).build());
        pipe(CloudTrailEvent.parse(event("GetObject").at(T0).json().replace("kms.amazonaws.com", "s3.amazonaws.com")));
        pipe(CloudTrailEvent.parse(event("RunInstances").at(T0).json().replace("kms.amazonaws.com", "ec2.amazonaws.com")));
        assertThat(out.readValuesToList()).isEmpty();
        assertThat(count("kmswatch.streams.events", "event_name", "other", "outcome", "success")).isEqualTo(2);
    }

    @Test
    void shouldWriteNothingTheStateDirDoesNotHold() throws Exception {
        pipe(disableKey().at(T0).build());
        assertThat(Files.list(stateDir)).isNotEmpty();
    }

    @Test
    void shouldFireKeyDeletionPendingWithItsDeletionDateWhenASettleTickAdvancesStreamTime() {
        pipe(scheduleKeyDeletion(30).at(T0).build());
        assertThat(out.readValuesToList()).noneMatch(d -> d.detection().equals("key-deletion-pending"));
        tick(T0.plus(31, ChronoUnit.DAYS));
        assertThat(out.readValuesToList()).filteredOn(d -> d.detection().equals("key-deletion-pending"))
                .singleElement().satisfies(d -> {
                    assertThat(d.keyArn()).isEqualTo(KEY_ARN);
                    assertThat(d.attributes()).containsEntry("deletionDate", T0.plus(30, ChronoUnit.DAYS).toString());
                    assertThat(d.resolves()).isFalse();
                });
        assertThat(rejected.readValuesToList()).isEmpty();
    }

    @Test
    void shouldNotTakeARecordWithoutValueOrControlHeaderForATick() {
        pipe(scheduleKeyDeletion(30).at(T0).build());
        raw.pipeInput(new TestRecord<>(null, (byte[]) null, new org.apache.kafka.common.header.internals.RecordHeaders(),
                T0.plus(31, ChronoUnit.DAYS)));
        raw.pipeInput(new TestRecord<>(null, (byte[]) null, new org.apache.kafka.common.header.internals.RecordHeaders()
                .add(ControlRecords.HEADER, "something-else".getBytes(StandardCharsets.UTF_8)), T0.plus(32, ChronoUnit.DAYS)));
        assertThat(out.readValuesToList()).noneMatch(d -> d.detection().equals("key-deletion-pending"));
        assertThat(count("kmswatch.streams.records.skipped", "reason", StreamsMetrics.NO_VALUE)).isEqualTo(1);
        assertThat(rejected.readValuesToList()).isEmpty();
        // the tick itself, known by its header, settles the same deletion window
        tick(T0.plus(31, ChronoUnit.DAYS));
        assertThat(out.readValuesToList()).anyMatch(d -> d.detection().equals("key-deletion-pending"));
    }

    @Test
    void shouldTreatASettleTickAsNoEventAnywhere() {
        tick(T0);
        tick(T0.plus(31, ChronoUnit.DAYS));
        assertThat(out.readValuesToList()).isEmpty();
        assertThat(rejected.readValuesToList()).isEmpty();
        assertThat(registry.find("kmswatch.streams.events").counters()).isEmpty();
        assertThat(registry.find("kmswatch.streams.records.skipped").counters()).allMatch(c -> c.count() == 0);
        assertThat(registry.find("kmswatch.streams.late").counters()).allMatch(c -> c.count() == 0);
        assertThat(count("kmswatch.streams.duplicates")).isZero();
        assertThat(registry.find("kmswatch.streams.caller.calls").counters()).allMatch(c -> c.count() == 0);
        assertThat(registry.get("kmswatch.streams.process.duration").timer().count()).isZero();
        assertThat(registry.get("kmswatch.streams.keys").tag("state", "Unknown").gauge().value()).isZero();
        // and the stream goes on: an event after the ticks is processed as usual
        pipe(disableKey().at(T0.plus(31, ChronoUnit.DAYS)).build());
        assertThat(out.readValuesToList()).extracting(Detection::detection).contains("key-disabled");
    }

    @Test
    void shouldCopyTicksToEveryPartitionOfTheRepartitionAndLeaveEventsToTheDefaultPartitioner() {
        assertThat(SettleTicks.PARTITIONER.partitions("x-by-principal-repartition", SettleTicks.KEY, null, 4))
                .contains(java.util.Set.of(0, 1, 2, 3));
        assertThat(SettleTicks.PARTITIONER.partitions("x-by-principal-repartition", "arn:aws:iam::111122223333:role/app",
                decrypt().at(T0).build(), 4)).isEmpty();
        String description = DetectionTopology.build(DetectionsConfig.defaultConfig(), Topics.DEFAULT).describe().toString();
        assertThat(description).contains("settle-ticks", "announce-settle-ticks", "settle-gate");
    }

    @Test
    void shouldDecideANewSourceIpAtTheEndOfAReplayWhenTheTickPassesTheRepartition() {
        String role = "arn:aws:iam::111122223333:role/app";
        pipe(decrypt().principal(role).sourceIp("10.0.0.1").at(T0).build());
        pipe(decrypt().principal(role).sourceIp("10.0.0.1").at(T0.plus(2, ChronoUnit.DAYS)).build());
        pipe(decrypt().principal(role).sourceIp("203.0.113.9").at(T0.plus(2, ChronoUnit.DAYS).plusSeconds(60)).build());
        assertThat(out.readValuesToList()).noneMatch(d -> d.detection().equals("new-source-ip"));
        tick(T0.plus(33, ChronoUnit.DAYS));
        assertThat(out.readValuesToList()).extracting(Detection::detection).contains("new-source-ip");
    }

    @Test
    void shouldSendTheTickThroughTheRepartition() {
        tick(T0.plus(31, ChronoUnit.DAYS));
        assertThat(driver.producedTopicNames()).anyMatch(t -> t.endsWith(DetectionTopology.BY_PRINCIPAL + "-repartition"));
    }

    @Test
    void shouldRegisterKnownSeriesAtZeroWhenBound() {
        SimpleMeterRegistry fresh = new SimpleMeterRegistry();
        new StreamsMetrics().bindTo(fresh);
        assertThat(fresh.get("kmswatch.streams.duplicates").counter().count()).isZero();
        for (String stage : StreamsMetrics.LATE_STAGES) {
            assertThat(fresh.get("kmswatch.streams.late").tag("stage", stage).counter().count()).isZero();
        }
        for (String reason : StreamsMetrics.SKIP_REASONS) {
            assertThat(fresh.get("kmswatch.streams.records.skipped").tag("reason", reason).counter().count()).isZero();
        }
        assertThat(fresh.get("kmswatch.streams.caller.calls").tag("caller_type", "service").counter().count()).isZero();
        assertThat(fresh.get("kmswatch.streams.caller.calls").tag("caller_type", "direct").counter().count()).isZero();
        assertThat(fresh.get("kmswatch.streams.process.duration").timer().count()).isZero();
    }

    @Test
    void shouldCountTrafficByKeyErrorCodeCrossAccountAndCallerType() {
        pipe(decrypt().at(T0).build());
        pipe(event("GenerateDataKey").at(T0.plusSeconds(1)).invokedBy("s3.amazonaws.com").build());
        pipe(decrypt().at(T0.plusSeconds(2)).error("AccessDeniedException", "no").build());
        pipe(decrypt().at(T0.plusSeconds(3)).error("SomethingNew", "?").build());
        pipe(decrypt().at(T0.plusSeconds(4)).principal("arn:aws:iam::444455556666:role/partner").build());
        String keyId = io.kmswatch.events.CloudTrailFixtures.KEY_ID;
        assertThat(count("kmswatch.streams.key.decrypts", "key_id", keyId)).isEqualTo(3);
        assertThat(count("kmswatch.streams.errors", "error_code", "AccessDeniedException")).isEqualTo(1);
        assertThat(count("kmswatch.streams.errors", "error_code", "other")).isEqualTo(1);
        assertThat(count("kmswatch.streams.cross.account", "event_name", "Decrypt")).isEqualTo(1);
        assertThat(count("kmswatch.streams.caller.calls", "caller_type", "service")).isEqualTo(1);
        assertThat(count("kmswatch.streams.caller.calls", "caller_type", "direct")).isEqualTo(4);
        assertThat(registry.get("kmswatch.streams.process.duration").timer().count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldLabelAtMostFiftyKeyIdsThenOther() {
        for (int i = 0; i < StreamsMetrics.MAX_KEY_IDS + 5; i++) {
            String arn = String.format("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-%012d", i);
            pipe(decrypt().key(arn).at(T0.plusSeconds(i)).build());
        }
        assertThat(registry.find("kmswatch.streams.key.decrypts").counters()).hasSize(StreamsMetrics.MAX_KEY_IDS + 1);
        assertThat(count("kmswatch.streams.key.decrypts", "key_id", "other")).isEqualTo(5);
    }

    @Test
    void shouldKeepOneDeletionDateSeriesPerKeyWhilePendingDeletion() {
        pipe(scheduleKeyDeletion(7).at(T0).build());
        assertThat(registry.get("kmswatch.streams.key.deletion.timestamp").tag("key_arn", KEY_ARN).gauge().value())
                .isEqualTo(T0.plus(7, ChronoUnit.DAYS).getEpochSecond());
        pipe(io.kmswatch.events.CloudTrailFixtures.cancelKeyDeletion().at(T0.plusSeconds(60)).build());
        assertThat(registry.find("kmswatch.streams.key.deletion.timestamp").gauges()).isEmpty();
    }
}
