package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertTopologyTest {
    private static final Instant WALL = Instant.parse("2026-11-29T06:00:00Z");
    private static final Topics TOPICS = Topics.DEFAULT;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Detection> in;
    private TestOutputTopic<String, Alert> out;
    private SimpleMeterRegistry registry;

    private void start(AlertsConfig config) {
        registry = new SimpleMeterRegistry();
        AlertsMetrics metrics = new AlertsMetrics();
        metrics.bindTo(registry);
        driver = new TopologyTestDriver(AlertTopology.build(config, TOPICS, metrics), props(), WALL);
        in = driver.createInputTopic(TOPICS.kmsDetections().name(), TOPICS.kmsDetections().keySerde().serializer(),
                TOPICS.kmsDetections().valueSerde().serializer());
        out = driver.createOutputTopic(TOPICS.kmsAlerts().name(), TOPICS.kmsAlerts().keySerde().deserializer(),
                TOPICS.kmsAlerts().valueSerde().deserializer());
    }

    private Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerts-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void pipe(Detections d) {
        Detection det = d.build();
        in.pipeInput(det.fingerprint(), det, det.lastEventTime());
    }

    private static AlertsConfig config() {
        return AlertsConfig.defaultConfig();
    }

    @Test
    void shouldOpenAlertWithStableIdOnFirstFiring() {
        start(config());
        pipe(Detections.fire());

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(AlertTopology.alertId("fp-key-disabled-1", Detections.T0));
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.occurrences()).isEqualTo(1);
            assertThat(a.sinks()).containsExactly("console");
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
        });
    }

    @Test
    void shouldFoldRepeatsWithinWindowWithoutNotifying() {
        start(config());
        pipe(Detections.fire().count(1).evidence("e-1"));
        pipe(Detections.fire().at(Detections.T0.plusSeconds(600)).count(3).evidence("e-2"));
        pipe(Detections.fire().at(Detections.T0.plusSeconds(1200)).count(4).evidence("e-3"));

        assertThat(out.readValuesToList()).hasSize(1);
        assertThat(registry.get("kmswatch.alerts.suppressed").counter().count()).isEqualTo(2.0);

        // The resolve carries what was folded: occurrences, last count, last-seen time, evidence.
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(1800)));
        Alert resolved = out.readValue();
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.occurrences()).isEqualTo(3);
        assertThat(resolved.count()).isEqualTo(4);
        assertThat(resolved.evidence()).containsExactly("e-1", "e-2", "e-3");
        assertThat(resolved.lastEventTime()).isEqualTo(Detections.T0.plusSeconds(1800));
    }

    @Test
    void shouldOpenNewAlertWithNewIdAfterWindowEnds() {
        start(config());
        pipe(Detections.fire());
        pipe(Detections.fire().at(Detections.T0.plus(Duration.ofHours(1))));

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).id()).isNotEqualTo(alerts.get(0).id())
                .isEqualTo(AlertTopology.alertId("fp-key-disabled-1", Detections.T0.plus(Duration.ofHours(1))));
    }

    @Test
    void shouldHonourPerDetectionWindow() {
        start(new AlertsConfig(Duration.ofHours(1), Map.of("key-disabled", Duration.ofMinutes(5)), null, null, null,
                null, null, null, null));
        pipe(Detections.fire());
        pipe(Detections.fire().at(Detections.T0.plusSeconds(299)).count(2));
        pipe(Detections.fire().at(Detections.T0.plusSeconds(300)).count(3));

        assertThat(out.readValuesToList()).hasSize(2);
    }

    @Test
    void shouldEscalateOneLevelWhenRefiringAtHigherTier() {
        start(config());
        pipe(Detections.fire().severity(Severity.MEDIUM));
        pipe(Detections.fire().severity(Severity.MEDIUM).tier(1).count(10).at(Detections.T0.plusSeconds(60)));
        pipe(Detections.fire().severity(Severity.MEDIUM).tier(1).count(11).at(Detections.T0.plusSeconds(120)));

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        assertThat(alerts.get(1).id()).isEqualTo(alerts.get(0).id());
        assertThat(alerts.get(1).occurrences()).isEqualTo(2);
        assertThat(alerts.get(1).count()).isEqualTo(10);
    }

    @Test
    void shouldEscalateToDetectionSeverityWhenHigher() {
        start(config());
        pipe(Detections.fire().severity(Severity.LOW));
        pipe(Detections.fire().severity(Severity.CRITICAL).tier(1).at(Detections.T0.plusSeconds(60)));

        assertThat(out.readValuesToList()).extracting(Alert::severity).containsExactly(Severity.LOW, Severity.CRITICAL);
    }

    @Test
    void shouldRerouteEscalatedAlertBySeverity() {
        AlertsConfig cfg = new AlertsConfig(null, null, null,
                List.of(new RouteConfig("pager", new RouteMatch(null, Severity.CRITICAL, null, null, null, null),
                        List.of("pager"), false)),
                List.of("file"), null, null,
                Map.of("pager", new SinkConfig.Webhook(java.net.URI.create("http://127.0.0.1:1/p"), null),
                        "file", new SinkConfig.Jsonl(Path.of("alerts.jsonl"))), null);
        start(cfg);
        pipe(Detections.fire().severity(Severity.HIGH));
        pipe(Detections.fire().severity(Severity.HIGH).tier(1).at(Detections.T0.plusSeconds(60)));

        assertThat(out.readValuesToList()).extracting(Alert::sinks)
                .containsExactly(List.of("file"), List.of("pager"));
    }

    @Test
    void shouldResolveFiringAlertOfSameKeyAndDetectionEvenWithOtherFingerprint() {
        start(config());
        pipe(Detections.fire());
        pipe(Detections.fire().fingerprint("fp-other-key").key(Detections.OTHER_KEY));
        out.readValuesToList();

        pipe(Detections.resolve().at(Detections.T0.plusSeconds(3600 * 30)));

        List<Alert> resolved = out.readValuesToList();
        assertThat(resolved).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(AlertTopology.alertId("fp-key-disabled-1", Detections.T0));
            assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(a.keyArn()).isEqualTo(Detections.KEY);
            assertThat(a.sinks()).containsExactly("console");
            assertThat(a.attributes()).containsEntry("resolved_by", "KMS key re-enabled");
        });
    }

    @Test
    void shouldResolveBySameFingerprintWhenNotAboutAKey() {
        start(config());
        pipe(Detections.fire().key(null).fingerprint("fp-burst"));
        pipe(Detections.resolve().key(null).fingerprint("fp-burst").at(Detections.T0.plusSeconds(60)));

        assertThat(out.readValuesToList()).extracting(Alert::status)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    @Test
    void shouldIgnoreResolveWithNothingFiring() {
        start(config());
        pipe(Detections.resolve());

        assertThat(out.isEmpty()).isTrue();
        assertThat(registry.get("kmswatch.alerts.skipped").tag("reason", "unmatched-resolve").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldOpenNewAlertWhenConditionFiresAgainAfterResolve() {
        start(config());
        pipe(Detections.fire());
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(60)));
        pipe(Detections.fire().at(Detections.T0.plusSeconds(120)));

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts).extracting(Alert::status)
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED, AlertStatus.FIRING);
        assertThat(alerts.get(2).id()).isNotEqualTo(alerts.get(0).id());
    }

    @Test
    void shouldDropRedeliveredFiringFromBeforeTheResolve() {
        start(config());
        pipe(Detections.fire());
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(60)));
        pipe(Detections.fire());

        assertThat(out.readValuesToList()).hasSize(2);
    }

    @Test
    void shouldNotCountTheSameFiringTwice() {
        start(config());
        pipe(Detections.fire());
        pipe(Detections.fire());
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(60)));

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).occurrences()).isEqualTo(1);
    }

    @Test
    void shouldFoldLateFiringIntoOpenAlert() {
        start(config());
        pipe(Detections.fire().at(Detections.T0.plusSeconds(600)));
        pipe(Detections.fire().at(Detections.T0).count(2));
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(900)));

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).occurrences()).isEqualTo(2);
        assertThat(alerts.get(1).firstEventTime()).isEqualTo(Detections.T0);
    }

    @Test
    void shouldGiveSameIdsWhenTheSameInputIsProcessedAgain() {
        List<Detections> input = List.of(Detections.fire(), Detections.fire().at(Detections.T0.plusSeconds(7200)),
                Detections.fire().fingerprint("fp-2").key(Detections.OTHER_KEY).at(Detections.T0.plusSeconds(5)));
        start(config());
        input.forEach(this::pipe);
        List<String> first = out.readValuesToList().stream().map(Alert::id).toList();
        driver.close();

        stateDir.toFile().mkdirs();
        start(config());
        input.forEach(this::pipe);
        List<String> second = out.readValuesToList().stream().map(Alert::id).toList();

        assertThat(first).hasSize(3).doesNotHaveDuplicates();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldWriteSilencedAlertWithoutSinksAndCountIt() {
        AlertsConfig cfg = new AlertsConfig(null, null, null, null, null, null,
                List.of(new SilenceConfig("drill", List.of("detection=\"key-disabled\"", "account=~\"1111.*\""), null,
                        WALL.plusSeconds(3600), "key drill", "ops")), null, null);
        start(cfg);
        pipe(Detections.fire());
        pipe(Detections.fire().detection("key-rotation-disabled").fingerprint("fp-rot"));

        List<Alert> alerts = out.readValuesToList();
        assertThat(alerts.get(0).sinks()).isEmpty();
        assertThat(alerts.get(0).attributes()).containsEntry(AlertRouter.SILENCED_BY, "drill");
        assertThat(alerts.get(1).sinks()).containsExactly("console");
        assertThat(registry.get("kmswatch.alerts.silenced").tag("detection", "key-disabled").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldDeliverAgainOnceSilenceHasEnded() {
        AlertsConfig cfg = new AlertsConfig(null, null, null, null, null, null,
                List.of(new SilenceConfig(null, List.of("detection=\"key-disabled\""), null, WALL.plusSeconds(60),
                        null, null)), null, null);
        start(cfg);
        pipe(Detections.fire());
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        pipe(Detections.fire().at(Detections.T0.plus(Duration.ofHours(2))));

        assertThat(out.readValuesToList()).extracting(a -> a.sinks().size()).containsExactly(0, 1);
    }

    @Test
    void shouldKeepResolveOfSilencedAlertSilenced() {
        AlertsConfig cfg = new AlertsConfig(null, null, null, null, null, null,
                List.of(new SilenceConfig("s", List.of("severity=\"high\""), null, WALL.plusSeconds(3600), null,
                        null)), null, null);
        start(cfg);
        pipe(Detections.fire());
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(10)));

        assertThat(out.readValuesToList()).allSatisfy(a -> assertThat(a.sinks()).isEmpty());
    }

    @Test
    void shouldPurgeResolvedStateAfterRetention() {
        start(new AlertsConfig(Duration.ofMinutes(10), null, Duration.ofDays(1), null, null, null, null, null, null));
        pipe(Detections.fire());
        pipe(Detections.resolve().at(Detections.T0.plusSeconds(60)));
        pipe(Detections.fire().fingerprint("fp-x").key(Detections.OTHER_KEY).at(Detections.T0.plus(Duration.ofDays(3))));
        driver.advanceWallClockTime(AlertManagerProcessor.PURGE_INTERVAL.plusSeconds(1));

        var store = driver.<String, AlertBook>getKeyValueStore(AlertTopology.STORE);
        assertThat(store.get(AlertTopology.conditionKey(Detections.fire().build()))).isNull();
        assertThat(store.get(AlertTopology.conditionKey(Detections.fire().key(Detections.OTHER_KEY).build())))
                .isNotNull();
    }

    @Test
    void shouldSkipUnreadableDetectionAndKeepProcessing() {
        driver = new TopologyTestDriver(AlertTopology.build(config(), TOPICS),
                AlertsApp.streamsProperties(AlertsAppSettings.of("unused:9092").withStateDir(stateDir)
                        .withApplicationId("alerts-test")), WALL);
        var raw = driver.createInputTopic(TOPICS.kmsDetections().name(),
                org.apache.kafka.common.serialization.Serdes.String().serializer(),
                org.apache.kafka.common.serialization.Serdes.ByteArray().serializer());
        out = driver.createOutputTopic(TOPICS.kmsAlerts().name(), TOPICS.kmsAlerts().keySerde().deserializer(),
                TOPICS.kmsAlerts().valueSerde().deserializer());
        raw.pipeInput("fp-bad", "{\"fingerprint\": 42".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        raw.pipeInput("fp-bad", "{\"detection\": \"no-fingerprint\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Detection ok = Detections.fire().build();
        raw.pipeInput(ok.fingerprint(), TOPICS.kmsDetections().valueSerde().serializer().serialize("t", ok));

        assertThat(out.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.fingerprint()).isEqualTo(ok.fingerprint()));
    }
}
