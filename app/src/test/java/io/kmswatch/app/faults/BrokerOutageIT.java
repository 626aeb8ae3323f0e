package io.kmswatch.app.faults;

import static io.kmswatch.app.faults.ProcessConfig.quote;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.app.faults.IncidentFixtures.Incident;
import io.kmswatch.app.faults.WebhookReceiver.Delivery;
import io.kmswatch.broker.KafkaCluster;
import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.ScenarioLabel;
import io.kmswatch.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three stages as three {@code kmswatch} processes ({@code ingest} following a trail directory,
 * {@code detect}, {@code alerts} with a webhook sink) on a three-broker cluster (three KRaft brokers
 * in child JVMs, replication 3, {@code min.insync.replicas=2}), while the broker coordinating the
 * detect group is stopped and later restarted under steady traffic: a log file with one incident
 * every half second, before, during and after the outage.
 *
 * <p>What must hold: every record reaches {@code kms-events} once and the detect group commits past
 * all of them; while the broker is down, every alert of the incidents written so far (some after
 * the stop) is delivered; every detection and every alert update
 * is committed exactly once; and the webhook receives every expected alert — four per incident,
 * counted against the incidents' labels — exactly once. Delivery is at-least-once by design (offsets
 * are committed after the sinks accepted), but no delivery process dies here, and a delivery process
 * never posts one update twice (each sink worker remembers the updates it delivered), so a repeat at
 * the receiver would be a defect, not the design. Every topic the stages create is replicated three
 * times (the cluster's default), or one broker's outage would take partitions offline.
 */
@Tag("system")
class BrokerOutageIT {
    private static final int INCIDENTS = 30;
    private static final Duration STAGE_START = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void shouldProcessEveryEventAndDeliverEveryExpectedAlertOnceWhileABrokerIsStoppedAndRestarted() throws Exception {
        List<Incident> incidents = IncidentFixtures.incidents(0, INCIDENTS);
        List<ScenarioLabel> labels = IncidentFixtures.labels(incidents);
        int expectedAlerts = INCIDENTS * IncidentFixtures.ALERTS_PER_INCIDENT;
        String prefix = "outage.";
        Topics topics = Topics.withPrefix(prefix);
        Path trail = Files.createDirectories(dir.resolve("trail"));
        Path logs = KmswatchProcess.logDir(BrokerOutageIT.class, "outage");

        try (KafkaCluster cluster = KafkaCluster.start(3);
             WebhookReceiver webhook = WebhookReceiver.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            String bootstrap = cluster.bootstrapServers();
            String sources = "sources:\n  files: {paths: [" + quote(trail.toString())
                    + "], follow: true, pollInterval: 300ms, progress: false}\n";
            try (KmswatchProcess detect = KmswatchProcess.start("detect", logs, Map.of(), List.of("detect",
                         "--config", ProcessConfig.write(dir, "detect", bootstrap, prefix, "", Map.of()).toString()));
                 KmswatchProcess alerts = KmswatchProcess.start("alerts", logs, Map.of(), List.of("alerts",
                         "--config", ProcessConfig.write(dir, "alerts", bootstrap, prefix, "", Map.of()).toString(),
                         "--sink", "webhook=" + webhook.url()));
                 KmswatchProcess ingest = KmswatchProcess.start("ingest", logs, Map.of(), List.of("ingest",
                         "--config", ProcessConfig.write(dir, "ingest", bootstrap, prefix, sources, Map.of()).toString()));
                 SteadyTraffic writer = new SteadyTraffic(incidents, Duration.ofMillis(500), incident ->
                         IncidentFixtures.writeLogFile(trail, String.format("incident-%03d", incident.n()), incident.events()))) {
                detect.awaitOutput("kmswatch detect (", STAGE_START);
                alerts.awaitOutput("kmswatch alerts (", STAGE_START);
                ingest.awaitOutput("kmswatch ingest", STAGE_START);

                writer.allow(10);
                assertThat(webhook.awaitDeliveries(d -> !d.isEmpty() && writer.written() >= 10, Duration.ofMinutes(2)))
                        .as("alerts flow before the outage; alerts log:\n%s", alerts.tail(30)).isTrue();

                int victim = admin.describeConsumerGroups(List.of("kmswatch-detect")).all().get(30, TimeUnit.SECONDS)
                        .get("kmswatch-detect").coordinator().id();
                writer.allow(20);
                cluster.stop(victim);
                int writtenWhenDown = writer.written();
                writer.allow(Math.max(20, writtenWhenDown + 5)); // traffic goes on while the broker is down
                int whileDown = writtenWhenDown + 3;
                assertThat(webhook.awaitDeliveries(d -> d.stream().filter(x -> IncidentFixtures.incidentOf(x.alert()) < whileDown)
                        .map(Delivery::update).distinct().count() == (long) whileDown * IncidentFixtures.ALERTS_PER_INCIDENT,
                        Duration.ofMinutes(2)))
                        .as("while broker %d is down, every alert of incidents 0..%d (some written after it stopped)",
                                victim, whileDown - 1)
                        .isTrue();
                cluster.restart(victim);
                writer.allow(INCIDENTS);

                boolean complete = webhook.awaitDeliveries(d -> d.stream().map(Delivery::update).distinct().count()
                        >= expectedAlerts, Duration.ofMinutes(3));
                assertThat(complete).as("all %d alerts delivered; %d so far; detect log:\n%s\nalerts log:\n%s",
                        expectedAlerts, webhook.firstOfEachUpdate().size(), detect.tail(20), alerts.tail(20)).isTrue();
                assertThat(List.of(ingest, detect, alerts)).allMatch(KmswatchProcess::isAlive);

                // every event reached kms-events once, and detect committed past all of them
                List<String> written = IncidentFixtures.events(incidents).stream().map(CloudTrailEvent::eventId).toList();
                List<String> onTopic = TopicReader.eventIds(TopicReader.readAll(bootstrap, topics.kmsEvents().name(), false));
                assertThat(onTopic).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
                assertThat(awaitTrue(() -> TopicReader.groupCaughtUp(bootstrap, "kmswatch-detect", topics.kmsEvents().name()),
                        Duration.ofSeconds(60))).as("detect committed every kms-events offset").isTrue();

                // exactly once on the topics written under exactly-once
                List<Detection> detections = TopicReader.detections(bootstrap, topics);
                assertThat(detections.stream().map(d -> d.fingerprint() + "#" + d.tier()).toList())
                        .doesNotHaveDuplicates().hasSize(expectedAlerts);
                List<Alert> committedAlerts = TopicReader.alerts(bootstrap, topics);
                assertThat(committedAlerts.stream().map(WebhookSink::updateKey).toList())
                        .doesNotHaveDuplicates().hasSize(expectedAlerts);

                // at the receiver: every expected alert, once
                List<Delivery> deliveries = webhook.deliveries();
                List<Alert> received = deliveries.stream().map(Delivery::alert).toList();
                assertThat(IncidentFixtures.unexpected(labels, received)).isEmpty();
                assertThat(IncidentFixtures.alertIdsByExpectation(labels, received))
                        .hasSize(expectedAlerts).allSatisfy((expectation, ids) -> assertThat(ids).as(expectation).hasSize(1));
                assertThat(deliveries).allSatisfy(d -> assertThat(d.idempotencyKey()).isEqualTo(d.alert().id()));
                assertThat(deliveries.stream().map(Delivery::update).toList())
                        .as("updates delivered more than once").doesNotHaveDuplicates().hasSize(expectedAlerts);
            }

            // every topic of the pipeline survives the loss of a broker
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.values().stream().filter(t -> t.partitions().stream().anyMatch(p -> p.replicas().size() != 3))
                    .map(TopicDescription::name).collect(Collectors.toList())).as("topics not replicated three times")
                    .isEmpty();
            assertThat(names).as("the stages' topics, internal ones included")
                    .contains(topics.kmsEvents().name(), topics.kmsDetections().name(), topics.kmsAlerts().name())
                    .anyMatch(n -> n.startsWith("kmswatch-detect-") && n.endsWith("-changelog"))
                    .anyMatch(n -> n.startsWith("kmswatch-detect-") && n.endsWith("-repartition"));
        }
    }

    private static boolean awaitTrue(BooleanSupplier condition, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
