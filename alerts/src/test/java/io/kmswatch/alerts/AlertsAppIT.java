package io.kmswatch.alerts;

import static io.kmswatch.alerts.KafkaSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.alerts.sink.SinkFactory;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Json;
import io.kmswatch.events.Severity;
import io.kmswatch.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(240)
class AlertsAppIT {
    @TempDir
    Path dir;

    private static List<Alert> lines(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file).stream().map(l -> {
                try {
                    return Json.MAPPER.readValue(l, Alert.class);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, Topics topics, Detection d) {
        KafkaSupport.produce(broker, topics.kmsDetections(), List.of(Map.entry(d.fingerprint(), d)));
    }

    @Test
    void shouldTurnDetectionsIntoDeliveredAlertsExactlyOnceAcrossRestart(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = KafkaSupport.topics(broker, 2);
        Path file = dir.resolve("alerts.jsonl");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (StubReceiver hook = new StubReceiver()) {
            AlertsConfig config = AlertsConfig.fromYaml("""
                    alerts:
                      sinks:
                        file: {type: jsonl, path: "%s"}
                        hook: {type: webhook, url: "${HOOK_URL}"}
                      routes:
                        - match: {detections: [key-*]}
                          sinks: [file, hook, console]
                    """.formatted(file), Map.of("HOOK_URL", hook.url("/ok").toString())::get);
            AlertsAppSettings settings = AlertsAppSettings.of(broker.bootstrapServers())
                    .withTopicPrefix(topics.prefix())
                    .withApplicationId("app-" + topics.prefix())
                    .withStateDir(dir.resolve("state"));
            SinkFactory factory = new SinkFactory(Duration.ofSeconds(5), AlertDelivery.producerConfig(settings),
                    new PrintStream(console, true, StandardCharsets.UTF_8), false, config::suppressionWindowFor,
                    Clock.systemUTC());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();

            try (AlertsApp app = AlertsApp.start(settings, config, registry, factory)) {
                produce(broker, topics, Detections.fire().severity(Severity.MEDIUM).build());
                produce(broker, topics, Detections.fire().severity(Severity.MEDIUM).count(2)
                        .at(Detections.T0.plusSeconds(60)).build());
                produce(broker, topics, Detections.fire().severity(Severity.MEDIUM).count(9).tier(1)
                        .at(Detections.T0.plusSeconds(120)).build());
                await(Duration.ofSeconds(90), "new and escalated alert in the file", () -> lines(file).size() == 2);
                assertThat(app.isRunning()).isTrue();
                assertThat(registry.get("kmswatch.alerts.suppressed").counter().count()).isEqualTo(1.0);
            }

            try (AlertsApp app = AlertsApp.start(settings, config, registry, factory)) {
                produce(broker, topics, Detections.resolve().at(Detections.T0.plusSeconds(180)).build());
                await(Duration.ofSeconds(90), "resolve in the file", () -> lines(file).size() == 3);
                assertThat(app.isRunning()).isTrue();
            }

            List<Alert> delivered = lines(file);
            String id = AlertTopology.alertId("fp-key-disabled-1", Detections.T0);
            assertThat(delivered).extracting(Alert::id).containsOnly(id);
            assertThat(delivered).extracting(Alert::severity)
                    .containsExactly(Severity.MEDIUM, Severity.HIGH, Severity.HIGH);
            assertThat(delivered).extracting(Alert::status)
                    .containsExactly(AlertStatus.FIRING, AlertStatus.FIRING, AlertStatus.RESOLVED);
            assertThat(delivered.get(2).occurrences()).isEqualTo(3);
            assertThat(delivered.get(2).sinks()).containsExactly("file", "hook", "console");

            List<Alert> onTopic = KafkaSupport.readUntil(broker, topics.kmsAlerts(), l -> l.size() > 3,
                    Duration.ofSeconds(5));
            assertThat(onTopic).as("exactly once on kms-alerts across the restart").hasSize(3);
            assertThat(hook.received("/ok")).extracting(StubReceiver.Received::idempotencyKey).containsOnly(id)
                    .hasSizeGreaterThanOrEqualTo(3);
            assertThat(console.toString(StandardCharsets.UTF_8).lines().count()).isGreaterThanOrEqualTo(3);
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("RESOLVED", "key=" + Detections.KEY);
        }
    }
}
