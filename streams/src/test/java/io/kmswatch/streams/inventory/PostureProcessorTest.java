package io.kmswatch.streams.inventory;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailEventSerde;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Topics;
import io.kmswatch.events.inventory.KeyGrant;
import io.kmswatch.events.inventory.KeyPosture;
import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.streams.DetectionTopology;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.StreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostureProcessorTest {
    private static final String PUBLIC_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
    private static final String CLOSED_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    private static final Instant SNAPSHOT = T0.minusSeconds(3600);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, KeySnapshot> snapshots;
    private TestInputTopic<String, CloudTrailEvent> events;
    private TestOutputTopic<String, Detection> detections;
    private Path stateDir;

    @BeforeEach
    void setUp() throws Exception {
        stateDir = Files.createTempDirectory("kmswatch-posture-test");
        StreamsMetrics metrics = new StreamsMetrics();
        metrics.bindTo(registry);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "posture-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        Topics topics = Topics.DEFAULT;
        // Only the posture detections and one event detection, so the output is what this test is about.
        driver = new TopologyTestDriver(DetectionTopology.build(DetectionsConfig.defaultConfig().onlyEnabled("key-disabled"),
                topics, metrics, 1, true), p);
        snapshots = driver.createInputTopic(topics.kmsKeyInventory().name(), new StringSerializer(),
                topics.kmsKeyInventory().valueSerde().serializer());
        events = driver.createInputTopic(topics.kmsEvents().name(), new StringSerializer(), new CloudTrailEventSerde().serializer());
        detections = driver.createOutputTopic(topics.kmsDetections().name(), new StringDeserializer(),
                topics.kmsDetections().valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static KeySnapshot key(Instant at, String state, Boolean rotation, String policy, List<KeyGrant> grants) {
        return new KeySnapshot(at, KEY_ARN, KeyArns.accountOf(KEY_ARN), "us-east-1", KEY_ARN.substring(KEY_ARN.indexOf('/') + 1),
                "CUSTOMER", state, "AWS_KMS", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "", SNAPSHOT.minusSeconds(86400),
                "PendingDeletion".equals(state) ? at.plusSeconds(7 * 86400) : null, "PendingDeletion".equals(state) ? 7 : null,
                rotation, 365, null, null, null, List.of("alias/app"), Map.of("team", "a"), policy, grants, Map.of());
    }

    private void pipe(KeySnapshot s) {
        snapshots.pipeInput(s.keyArn(), s, 0L);
    }

    private void pipe(CloudTrailFixtures.Builder b) {
        CloudTrailEvent e = b.build();
        events.pipeInput(e.partitionKey(), e, e.eventTime());
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void shouldFireEachStandingFindingOnceAcrossRefreshes() {
        KeyGrant external = new KeyGrant("g-ext", null, "arn:aws:iam::444455556666:role/x", null, null, List.of("Decrypt"), null);
        pipe(key(SNAPSHOT, "Enabled", false, PUBLIC_POLICY, List.of(external)));
        List<Detection> first = detections.readValuesToList();
        assertThat(first).extracting(Detection::detection).containsExactlyInAnyOrder(KeyPosture.ROTATION_DISABLED,
                KeyPosture.PUBLIC, KeyPosture.GRANT_EXTERNAL);
        assertThat(first).allSatisfy(d -> {
            assertThat(d.resolves()).isFalse();
            assertThat(d.keyArn()).isEqualTo(KEY_ARN);
            assertThat(d.firstEventTime()).isEqualTo(SNAPSHOT);
            assertThat(d.runbook().commands()).isNotEmpty();
        });
        pipe(key(SNAPSHOT.plusSeconds(86400), "Enabled", false, PUBLIC_POLICY, List.of(external)));
        assertThat(detections.readValuesToList()).isEmpty();
    }

    @Test
    void shouldResolveFromTheEventsThatFixTheKey() {
        KeyGrant external = new KeyGrant("g-ext", null, "arn:aws:iam::444455556666:role/x", null, null, List.of("Decrypt"), null);
        pipe(key(SNAPSHOT, "Enabled", false, PUBLIC_POLICY, List.of(external)));
        detections.readValuesToList();

        pipe(event("EnableKeyRotation").at(T0));
        pipe(CloudTrailFixtures.putKeyPolicy(PUBLIC_POLICY).at(T0.plusSeconds(1)));
        assertThat(detections.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.detection()).isEqualTo(KeyPosture.ROTATION_DISABLED);
            assertThat(d.resolves()).isTrue();
        });
        pipe(CloudTrailFixtures.putKeyPolicy(CLOSED_POLICY).at(T0.plusSeconds(2)));
        pipe(event("RevokeGrant").param("grantId", "g-ext").at(T0.plusSeconds(3)));
        assertThat(detections.readValuesToList()).extracting(Detection::detection, Detection::resolves)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(KeyPosture.PUBLIC, true),
                        org.assertj.core.groups.Tuple.tuple(KeyPosture.GRANT_EXTERNAL, true));
    }

    @Test
    void shouldResolveWhenALaterSnapshotNoLongerShowsIt() {
        pipe(key(SNAPSHOT, "PendingDeletion", null, CLOSED_POLICY, List.of()));
        assertThat(detections.readValuesToList()).extracting(Detection::detection)
                .containsExactly(KeyPosture.PENDING_DELETION);
        pipe(key(SNAPSHOT.plusSeconds(600), "Disabled", true, CLOSED_POLICY, List.of()));
        assertThat(detections.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.detection()).isEqualTo(KeyPosture.PENDING_DELETION);
            assertThat(d.resolves()).isTrue();
        });
    }

    @Test
    void shouldSeedTheKeyInventoryGaugesAndLetEventsMoveThem() {
        pipe(key(SNAPSHOT, "PendingDeletion", null, CLOSED_POLICY, List.of()));
        assertThat(gauge("kmswatch.streams.keys", "state", "PendingDeletion")).isEqualTo(1);
        assertThat(gauge("kmswatch.streams.keys.pending.deletion")).isEqualTo(1);

        pipe(CloudTrailFixtures.cancelKeyDeletion().at(T0));
        assertThat(gauge("kmswatch.streams.keys", "state", "PendingDeletion")).isZero();
        assertThat(gauge("kmswatch.streams.keys", "state", "Disabled")).isEqualTo(1);
        assertThat(gauge("kmswatch.streams.keys.pending.deletion")).isZero();
        assertThat(detections.readValuesToList()).filteredOn(Detection::resolves).extracting(Detection::detection)
                .containsExactly(KeyPosture.PENDING_DELETION);
    }

    @Test
    void shouldKeepAStateChangeTheStreamSawAfterTheSnapshot() {
        pipe(CloudTrailFixtures.disableKey().at(T0));
        pipe(key(SNAPSHOT, "Enabled", true, CLOSED_POLICY, List.of()));
        assertThat(gauge("kmswatch.streams.keys", "state", "Disabled")).isEqualTo(1);
        assertThat(gauge("kmswatch.streams.keys", "state", "Enabled")).isZero();
    }
}
