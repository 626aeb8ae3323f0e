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
        assertThat(registry.get("kmswatch.streams.records.skipped").counter().count()).isEqualTo(1);
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
}
