package io.kmswatch.alerts;

import static io.kmswatch.alerts.KafkaSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.alerts.sink.AlertmanagerSink;
import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.alerts.sink.SinkFactory;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Json;
import io.kmswatch.events.Topics;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(180)
class AlertmanagerSinkIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static JsonNode alertsWithId(AlertmanagerProcess am, String id) {
        try {
            String filter = URLEncoder.encode("alert_id=\"" + id + "\"", StandardCharsets.UTF_8);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(am.url("/api/v2/alerts?filter=" + filter)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldShowFiringAlertWithLabelsKeepItAliveAndResolveIt(EmbeddedKafkaBroker broker) throws Exception {
        try (StubReceiver hook = new StubReceiver();
             AlertmanagerProcess am = AlertmanagerProcess.start(dir, hook.url("/am-hook"))) {
            Topics topics = KafkaSupport.topics(broker, 1);
            Map<String, SinkConfig> sinks = Map.of("am", new SinkConfig.Alertmanager(am.url(""),
                    URI.create("http://kmswatch.test/alerts/"), Duration.ofSeconds(1), Duration.ofSeconds(4)));
            AlertsConfig config = new AlertsConfig(null, null, null, null, List.of("am"), null, null, sinks, null);
            AlertsAppSettings settings = AlertsAppSettings.of(broker.bootstrapServers()).withTopicPrefix(topics.prefix())
                    .withApplicationId("am-" + topics.prefix()).running(false, true);
            SinkFactory factory = new SinkFactory(Duration.ofSeconds(5), AlertDelivery.producerConfig(settings),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false,
                    config::suppressionWindowFor, Clock.systemUTC());
            AlertDelivery delivery = new AlertDelivery(settings, config, factory.createAll(config.sinks()), new AlertsMetrics());
            delivery.start();
            try {
                String id = AlertTopology.alertId("fp-am", Instant.now());
                Alert firing = Detections.fire().fingerprint("fp-am").at(Instant.now().minusSeconds(30))
                        .alert(id, List.of("am"));
                KafkaSupport.produce(broker, topics.kmsAlerts(), List.of(Map.entry(id, firing)));

                await(Duration.ofSeconds(30), "alert in Alertmanager", () -> alertsWithId(am, id).size() == 1);
                JsonNode shown = alertsWithId(am, id).get(0);
                assertThat(Json.MAPPER.convertValue(shown.path("labels"), new TypeReference<Map<String, String>>() { })).containsAllEntriesOf(Map.of(
                        "alertname", "key-disabled", "severity", "high", "key_arn", Detections.KEY,
                        "account", "111122223333", "region", "us-east-1", "alert_id", id));
                assertThat(shown.path("annotations").path("summary").asText()).isEqualTo("KMS key disabled");
                assertThat(shown.path("annotations").path("runbook").asText()).startsWith("aws kms enable-key");
                assertThat(shown.path("status").path("state").asText()).isEqualTo("active");
                assertThat(shown.path("generatorURL").asText()).isEqualTo("http://kmswatch.test/alerts/" + id);

                // Re-posted while firing: endsAt moves forward, so it outlives the 4 s resolve timeout.
                Instant endsAt = Instant.parse(shown.path("endsAt").asText());
                await(Duration.ofSeconds(15), "endsAt pushed forward by a re-post", () ->
                        Instant.parse(alertsWithId(am, id).get(0).path("endsAt").asText()).isAfter(endsAt));
                await(Duration.ofSeconds(15), "firing notification", () -> hook.received("/am-hook").stream()
                        .anyMatch(r -> r.body().contains("\"status\":\"firing\"") && r.body().contains(id)));

                Alert resolved = Detections.alert(id, AlertStatus.RESOLVED, List.of("am"));
                KafkaSupport.produce(broker, topics.kmsAlerts(), List.of(Map.entry(id, resolved)));

                await(Duration.ofSeconds(30), "alert gone from the active list", () -> alertsWithId(am, id).isEmpty());
                await(Duration.ofSeconds(30), "resolved notification", () -> hook.received("/am-hook").stream()
                        .anyMatch(r -> r.body().contains("\"status\":\"resolved\"") && r.body().contains(id)));
                // No re-post after the resolve brings it back. Barrier: a later alert, fired after the resolve,
                // reaches Alertmanager and is re-posted once (a re-post cycle ran after the resolve).
                String marker = AlertTopology.alertId("fp-am-marker", Instant.now());
                KafkaSupport.produce(broker, topics.kmsAlerts(), List.of(Map.entry(marker,
                        Detections.fire().fingerprint("fp-am-marker").at(Instant.now().minusSeconds(5))
                                .alert(marker, List.of("am")))));
                await(Duration.ofSeconds(30), "marker alert in Alertmanager", () -> alertsWithId(am, marker).size() == 1);
                Instant markerEndsAt = Instant.parse(alertsWithId(am, marker).get(0).path("endsAt").asText());
                await(Duration.ofSeconds(15), "marker re-posted", () ->
                        Instant.parse(alertsWithId(am, marker).get(0).path("endsAt").asText()).isAfter(markerEndsAt));
                assertThat(alertsWithId(am, id)).isEmpty();
            } finally {
                delivery.close(Duration.ZERO);
            }
        }
    }

    @Test
    void shouldReplaceOldSeverityWhenAlertEscalates() throws Exception {
        try (StubReceiver hook = new StubReceiver();
             AlertmanagerProcess am = AlertmanagerProcess.start(dir, hook.url("/am-hook"));
             AlertmanagerSink sink = new AlertmanagerSink("am", new SinkConfig.Alertmanager(am.url(""), null, null, null),
                     Duration.ofSeconds(5), d -> Duration.ofHours(1), Clock.systemUTC())) {
            String id = AlertTopology.alertId("fp-esc", Instant.now());
            sink.deliver(Detections.fire().fingerprint("fp-esc").severity(io.kmswatch.events.Severity.MEDIUM)
                    .at(Instant.now()).alert(id, List.of("am")));
            await(Duration.ofSeconds(15), "medium alert shown", () -> alertsWithId(am, id).size() == 1);

            sink.deliver(Detections.fire().fingerprint("fp-esc").severity(io.kmswatch.events.Severity.HIGH)
                    .at(Instant.now()).alert(id, List.of("am")));

            await(Duration.ofSeconds(15), "only the high alert active", () -> {
                JsonNode shown = alertsWithId(am, id);
                return shown.size() == 1 && shown.get(0).path("labels").path("severity").asText().equals("high");
            });
        }
    }
}
