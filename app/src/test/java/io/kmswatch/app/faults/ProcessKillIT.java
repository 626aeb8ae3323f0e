package io.kmswatch.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.app.faults.IncidentFixtures.Incident;
import io.kmswatch.app.faults.WebhookReceiver.Delivery;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Detection;
import io.kmswatch.events.ScenarioLabel;
import io.kmswatch.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch detect} and {@code kmswatch alerts} processes killed with SIGKILL ({@code kill -9})
 * in the middle of steady traffic, and started again: two detect processes share the input, one of
 * them is killed and restarted; then the alerts process is killed and restarted. Records go straight to
 * {@code kms-events} (ingest is not under test here), one incident every 400 ms.
 *
 * <p>What must hold: every detection is committed to {@code kms-detections} exactly once and every
 * alert update to {@code kms-alerts} exactly once (both stages run exactly-once, so a killed process's
 * open transaction is aborted, never half-applied), and the webhook receives every expected alert —
 * four per incident, counted against the labels.
 *
 * <p>What the webhook may see twice, and why that is the design: delivery is at-least-once. The
 * delivery loop commits an offset only after every sink accepted the alert, so the alerts a process
 * had delivered but not yet committed when it was killed are delivered again by its successor, with
 * the same {@code Idempotency-Key} (the alert id) and update header, for the receiver to drop. So the
 * test asserts exactly that: a repeated update was first delivered before the kill and repeated only by
 * the restarted process, at most once, under the same idempotency key; anything else delivered twice
 * is a defect.
 */
@Tag("system")
@ExtendWith(EmbeddedKafkaExtension.class)
class ProcessKillIT {
    private static final int INCIDENTS = 32;
    private static final Duration STAGE_START = Duration.ofMinutes(2);
    private static final Duration PHASE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldLoseNoAlertAndCommitEachDetectionOnceWhenDetectAndAlertsAreKilledMidStream(EmbeddedKafkaBroker kafka) {
        List<Incident> incidents = IncidentFixtures.incidents(0, INCIDENTS);
        List<ScenarioLabel> labels = IncidentFixtures.labels(incidents);
        int expectedAlerts = INCIDENTS * IncidentFixtures.ALERTS_PER_INCIDENT;
        String prefix = "kill-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String detectId = prefix + "detect";
        String bootstrap = kafka.bootstrapServers();
        Topics topics = Topics.withPrefix(prefix);
        Path logs = KmswatchProcess.logDir(ProcessKillIT.class, "kill");
        List<String> detectA = List.of("detect", "--application-id", detectId,
                "--config", ProcessConfig.write(dir, "detect-a", bootstrap, prefix, "", Map.of()).toString());
        List<String> detectB = List.of("detect", "--application-id", detectId,
                "--config", ProcessConfig.write(dir, "detect-b", bootstrap, prefix, "", Map.of()).toString());
        List<String> alertsArgs = List.of("alerts", "--application-id", prefix + "alerts",
                "--config", ProcessConfig.write(dir, "alerts", bootstrap, prefix, "", Map.of()).toString());

        try (WebhookReceiver webhook = WebhookReceiver.start();
             KmswatchProcess a = KmswatchProcess.start("detect-a", logs, Map.of(), detectA);
             KmswatchProcess b1 = KmswatchProcess.start("detect-b", logs, Map.of(), detectB);
             KmswatchProcess alerts1 = KmswatchProcess.start("alerts", logs, Map.of(), withSink(alertsArgs, webhook))) {
            a.awaitOutput("kmswatch detect (", STAGE_START);
            b1.awaitOutput("kmswatch detect (", STAGE_START);
            alerts1.awaitOutput("kmswatch alerts (", STAGE_START);

            try (TopicReader.EventWriter events = new TopicReader.EventWriter(bootstrap, topics.kmsEvents().name());
                 SteadyTraffic traffic = new SteadyTraffic(incidents, Duration.ofMillis(400), i -> events.send(i.events()))) {
                // detect: one of two instances killed mid-stream while the other carries on, then restarted
                traffic.allow(12);
                awaitAlertFor(webhook, 3, alerts1);
                traffic.allow(20);
                assertThat(b1.kill()).as("detect-b ended by SIGKILL").isEqualTo(KmswatchProcess.KILLED_STATUS);
                // detect-a takes over detect-b's partitions and state: every alert of the incidents so far,
                // including some written after the kill
                awaitEveryAlertBefore(webhook, Math.min(traffic.written() + 2, 20), alerts1);

                try (KmswatchProcess b2 = KmswatchProcess.start("detect-b", logs, Map.of(), detectB)) {
                    b2.awaitOutput("kmswatch detect (", STAGE_START);
                    traffic.allow(26);
                    awaitAlertFor(webhook, 20, alerts1);

                    // alerts: killed in the middle of deliveries, restarted
                    traffic.allow(INCIDENTS);
                    assertThat(alerts1.kill()).as("alerts ended by SIGKILL").isEqualTo(KmswatchProcess.KILLED_STATUS);
                    Instant restarted = Instant.now();
                    int deliveredBeforeKill = webhook.firstOfEachUpdate().size();
                    assertThat(deliveredBeforeKill).as("killed mid-stream").isBetween(1, expectedAlerts - 1);
                    try (KmswatchProcess alerts2 = KmswatchProcess.start("alerts", logs, Map.of(), withSink(alertsArgs, webhook))) {
                        boolean complete = webhook.awaitDeliveries(d -> d.stream().map(Delivery::update).distinct().count()
                                >= expectedAlerts, Duration.ofMinutes(3));
                        assertThat(complete).as("all %d alerts delivered, %d so far; alerts log:%n%s", expectedAlerts,
                                webhook.firstOfEachUpdate().size(), alerts2.tail(30)).isTrue();
                        assertThat(List.of(a, b2, alerts2)).allMatch(KmswatchProcess::isAlive);

                        List<Detection> detections = TopicReader.detections(bootstrap, topics);
                        assertThat(detections.stream().map(d -> d.fingerprint() + "#" + d.tier()).toList())
                                .as("detections committed").doesNotHaveDuplicates().hasSize(expectedAlerts);
                        assertThat(TopicReader.alerts(bootstrap, topics).stream().map(WebhookSink::updateKey).toList())
                                .as("alert updates committed").doesNotHaveDuplicates().hasSize(expectedAlerts);

                        List<Delivery> deliveries = webhook.deliveries();
                        List<Alert> received = deliveries.stream().map(Delivery::alert).toList();
                        assertThat(IncidentFixtures.unexpected(labels, received)).isEmpty();
                        assertThat(IncidentFixtures.alertIdsByExpectation(labels, received)).hasSize(expectedAlerts)
                                .allSatisfy((expectation, ids) -> assertThat(ids).as(expectation).hasSize(1));
                        assertThat(deliveries).allSatisfy(d -> assertThat(d.idempotencyKey()).isEqualTo(d.alert().id()));
                        Map<String, List<Delivery>> repeated = deliveries.stream()
                                .collect(Collectors.groupingBy(Delivery::update)).entrySet().stream()
                                .filter(e -> e.getValue().size() > 1)
                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                        assertThat(repeated).as("updates delivered twice: only those the killed process had delivered"
                                + " and not committed, each repeated once by its successor").allSatisfy((update, ds) -> {
                                    assertThat(ds).hasSize(2);
                                    assertThat(ds.get(0).received()).isBefore(restarted);
                                    assertThat(ds.get(1).received()).isAfter(restarted);
                                });
                    }
                }
            }
        }
    }

    private static List<String> withSink(List<String> args, WebhookReceiver webhook) {
        return Stream.concat(args.stream(), Stream.of("--sink", "webhook=" + webhook.url())).toList();
    }

    /** Waits until every alert of the incidents before {@code n} has been delivered. */
    private static void awaitEveryAlertBefore(WebhookReceiver webhook, int n, KmswatchProcess alerts) {
        assertThat(webhook.awaitDeliveries(d -> d.stream().filter(x -> IncidentFixtures.incidentOf(x.alert()) < n)
                .map(Delivery::update).distinct().count() == (long) n * IncidentFixtures.ALERTS_PER_INCIDENT, PHASE))
                .as("every alert of incidents 0..%d; alerts log:%n%s", n - 1, alerts.tail(30)).isTrue();
    }

    /** Waits until an alert about incident {@code n} or a later one has been delivered. */
    private static void awaitAlertFor(WebhookReceiver webhook, int n, KmswatchProcess alerts) {
        assertThat(webhook.awaitDeliveries(d -> d.stream().anyMatch(x -> IncidentFixtures.incidentOf(x.alert()) >= n), PHASE))
                .as("an alert about incident %d or later; alerts log:%n%s", n, alerts.tail(30)).isTrue();
    }
}
