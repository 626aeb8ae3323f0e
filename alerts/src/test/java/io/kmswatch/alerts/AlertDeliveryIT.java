package io.kmswatch.alerts;

import static io.kmswatch.alerts.KafkaSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.alerts.sink.SinkFactory;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Topics;
import io.kmswatch.events.UndeliverableAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(180)
class AlertDeliveryIT {
    private StubReceiver stub;
    private final List<AlertDelivery> running = new ArrayList<>();

    @BeforeEach
    void startStub() throws Exception {
        stub = new StubReceiver();
    }

    @AfterEach
    void stop() {
        running.forEach(d -> d.close(Duration.ZERO));
        stub.close();
    }

    private AlertDelivery start(EmbeddedKafkaBroker broker, Topics topics, String group, AlertsConfig config,
                                AlertsMetrics metrics) {
        return start(broker, topics, group, config, metrics, Map.of());
    }

    private AlertDelivery start(EmbeddedKafkaBroker broker, Topics topics, String group, AlertsConfig config,
                                AlertsMetrics metrics, Map<String, String> kafka) {
        AlertsAppSettings settings = AlertsAppSettings.of(broker.bootstrapServers())
                .withTopicPrefix(topics.prefix()).withApplicationId(group).withKafka(kafka).running(false, true);
        SinkFactory factory = new SinkFactory(config.delivery().attemptTimeout(), AlertDelivery.producerConfig(settings),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false,
                config::suppressionWindowFor, Clock.systemUTC());
        Map<String, AlertSink> sinks = factory.createAll(config.sinks());
        AlertDelivery d = new AlertDelivery(settings, config, sinks, metrics);
        running.add(d);
        d.start();
        return d;
    }

    private Map<String, SinkConfig> webhooks(String... paths) {
        Map<String, SinkConfig> m = new LinkedHashMap<>();
        for (String p : paths) {
            String name = p.substring(1);
            m.put(name, name.equals("slack") ? new SinkConfig.Slack(stub.url(p)) : new SinkConfig.Webhook(stub.url(p), null));
        }
        return m;
    }

    private static AlertsConfig config(Map<String, SinkConfig> sinks, DeliveryConfig delivery) {
        return new AlertsConfig(null, null, null, null, List.of(sinks.keySet().iterator().next()), null, null, sinks,
                delivery);
    }

    private static List<Map.Entry<String, Alert>> alerts(int n, List<String> sinks) {
        return IntStream.range(0, n).mapToObj(i -> {
            Alert a = Detections.fire().fingerprint("fp-" + i).at(Detections.T0.plusSeconds(i))
                    .alert(AlertTopology.alertId("fp-" + i, Detections.T0.plusSeconds(i)), sinks);
            return Map.entry(a.id(), a);
        }).toList();
    }

    /** True when the group has committed the end offset of every partition of the topic. */
    private static boolean committedAll(EmbeddedKafkaBroker broker, String group, String topic, int partitions)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> q = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            var ends = admin.listOffsets(q).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset()
                    == (committed.containsKey(e.getKey()) ? committed.get(e.getKey()).offset() : 0L));
        }
    }

    @Test
    void shouldDeliverOrDeadLetterEveryAlertOnEverySinkAndCommitOnlyThen(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = KafkaSupport.topics(broker, 2);
        Map<String, SinkConfig> sinks = webhooks("/ok", "/slack", "/bad", "/limited", "/flaky", "/down");
        DeliveryConfig delivery = new DeliveryConfig(Duration.ofSeconds(3), null, Duration.ofMillis(50),
                Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(5), null, null, Duration.ofSeconds(5));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AlertsMetrics metrics = new AlertsMetrics();
        metrics.bindTo(registry);
        List<Map.Entry<String, Alert>> input = new ArrayList<>(alerts(5, List.copyOf(sinks.keySet())));
        Alert ghost = Detections.fire().fingerprint("fp-ghost").alert("ghost-alert", List.of("ghost"));
        input.add(Map.entry(ghost.id(), ghost));
        KafkaSupport.produce(broker, topics.kmsAlerts(), input);

        String group = "delivery-" + topics.prefix();
        start(broker, topics, group, config(sinks, delivery), metrics);

        List<UndeliverableAlert> dead = KafkaSupport.readUntil(broker, topics.kmsAlertsUndeliverable(),
                l -> l.size() >= 11, Duration.ofSeconds(60));
        await(Duration.ofSeconds(60), "every sink settled and offsets committed", () -> {
            try {
                return stub.distinctKeys("/limited") == 5 && stub.distinctKeys("/flaky") == 5
                        && committedAll(broker, group + "-delivery", topics.kmsAlerts().name(), 2);
            } catch (Exception e) {
                return false;
            }
        });

        Set<String> ids = input.stream().limit(5).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(stub.received("/ok")).extracting(StubReceiver.Received::idempotencyKey)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(stub.received("/slack")).hasSize(5)
                .allSatisfy(r -> assertThat(r.body()).contains("\"blocks\"", "\"text\""));
        // 429 + Retry-After: 1 → exactly one retry per alert, no sooner than asked.
        for (String id : ids) {
            List<StubReceiver.Received> tries = stub.received("/limited").stream()
                    .filter(r -> id.equals(r.idempotencyKey())).toList();
            assertThat(tries).hasSize(2);
            assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }
        assertThat(stub.received("/flaky")).hasSize(15);
        assertThat(stub.received("/bad")).hasSize(5);

        assertThat(dead).hasSize(11);
        assertThat(dead).filteredOn(u -> u.sink().equals("bad")).hasSize(5)
                .allSatisfy(u -> {
                    assertThat(u.attempts()).isEqualTo(1);
                    assertThat(u.error()).contains("HTTP 400 invalid_payload (permanent)");
                });
        // /down fails every attempt: the first alert is retried for giveUpAfter, then the sink is
        // down and the rest go with it untried (or as failed probes).
        List<UndeliverableAlert> down = dead.stream().filter(u -> u.sink().equals("down")).toList();
        assertThat(down).hasSize(5).allSatisfy(u -> assertThat(u.error()).startsWith("down: HTTP 500 rollup_error"))
                .extracting(u -> u.alert().id()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(down.stream().mapToInt(UndeliverableAlert::attempts).max().orElseThrow()).isGreaterThanOrEqualTo(3);
        assertThat(stub.received("/down")).hasSize(down.stream().mapToInt(UndeliverableAlert::attempts).sum());
        assertThat(registry.get(AlertsMetrics.SINK_UP).tag("sink", "down").gauge().value()).isZero();
        assertThat(registry.get(AlertsMetrics.SINK_UP).tag("sink", "bad").gauge().value()).isEqualTo(1.0);
        assertThat(dead).filteredOn(u -> u.sink().equals("ghost")).singleElement()
                .satisfies(u -> assertThat(u.error()).contains("not configured"));

        assertThat(registry.get("kmswatch.alerts.sent").tag("sink", "ok").tag("outcome", "success").counter().count())
                .isEqualTo(5);
        assertThat(registry.get("kmswatch.alerts.sent").tag("sink", "down").tag("outcome", "failure").counter().count())
                .isEqualTo(5);
        assertThat(registry.get("kmswatch.alerts.retried").tag("sink", "limited").counter().count()).isEqualTo(5);
        assertThat(registry.get("kmswatch.alerts.retried").tag("sink", "flaky").counter().count()).isEqualTo(10);
        assertThat(registry.get("kmswatch.alerts.undeliverable").tag("sink", "bad").counter().count()).isEqualTo(5);
        assertThat(registry.get("kmswatch.alerts.delivery.latency").tag("sink", "limited").timer().count()).isEqualTo(5);
    }

    @Test
    void shouldKeepDeliveringToOtherSinksWhileOneHangs(EmbeddedKafkaBroker broker) {
        Topics topics = KafkaSupport.topics(broker, 1);
        Map<String, SinkConfig> sinks = webhooks("/hang", "/ok");
        DeliveryConfig delivery = new DeliveryConfig(Duration.ofMillis(1_500), null, Duration.ofMillis(50),
                Duration.ofMillis(100), 2.0, 0.0, Duration.ofSeconds(1), null, null, Duration.ofSeconds(1));
        List<Map.Entry<String, Alert>> input = alerts(3, List.of("hang", "ok"));
        KafkaSupport.produce(broker, topics.kmsAlerts(), input);

        start(broker, topics, "hang-" + topics.prefix(), config(sinks, delivery), new AlertsMetrics());

        await(Duration.ofSeconds(30), "ok sink got all three", () -> stub.distinctKeys("/ok") == 3);
        List<UndeliverableAlert> dead = KafkaSupport.readUntil(broker, topics.kmsAlertsUndeliverable(),
                l -> l.size() >= 3, Duration.ofSeconds(60));

        assertThat(dead).hasSize(3).allSatisfy(u -> {
            assertThat(u.sink()).isEqualTo("hang");
            assertThat(u.error()).startsWith("hang: no answer within PT1S");
        });
        // The first alert timed out until giveUpAfter; the other two went with it, untried.
        assertThat(dead.get(0).attempts()).isBetween(1, 2);
        assertThat(dead.subList(1, 3)).allSatisfy(u -> assertThat(u.attempts()).isZero());
        assertThat(stub.received("/hang")).hasSize(dead.get(0).attempts());
        // The healthy sink had everything before the hanging one gave up on its first alert.
        var lastOk = stub.received("/ok").stream().map(StubReceiver.Received::at).max(java.util.Comparator.naturalOrder())
                .orElseThrow();
        assertThat(lastOk).isBefore(dead.get(0).lastAttempt());
    }

    @Test
    void shouldDeliverEachAlertAtLeastOnceWhenRestartedMidBatch(EmbeddedKafkaBroker broker) {
        Topics topics = KafkaSupport.topics(broker, 2);
        Map<String, SinkConfig> sinks = webhooks("/slow");
        DeliveryConfig delivery = new DeliveryConfig(null, null, Duration.ofMillis(50), Duration.ofMillis(100), 2.0,
                0.5, Duration.ofSeconds(5), null, null, Duration.ZERO);
        List<Map.Entry<String, Alert>> input = alerts(60, List.of("slow"));
        KafkaSupport.produce(broker, topics.kmsAlerts(), input);
        String group = "restart-" + topics.prefix();

        AlertDelivery first = start(broker, topics, group, config(sinks, delivery), new AlertsMetrics());
        await(Duration.ofSeconds(30), "first process delivered some", () -> stub.received("/slow").size() >= 15);
        first.close(Duration.ZERO);
        int beforeRestart = stub.received("/slow").size();
        assertThat(beforeRestart).isLessThan(60);

        start(broker, topics, group, config(sinks, delivery), new AlertsMetrics());
        await(Duration.ofSeconds(60), "every alert delivered", () -> stub.distinctKeys("/slow") == 60);

        List<String> keys = stub.received("/slow").stream().map(StubReceiver.Received::idempotencyKey).toList();
        assertThat(Set.copyOf(keys)).containsExactlyInAnyOrderElementsOf(input.stream().map(Map.Entry::getKey).toList());
        // Repeats are possible (at-least-once) but bounded by what was in flight; the key lets the receiver drop them.
        long repeats = keys.size() - Set.copyOf(keys).size();
        assertThat(repeats).isLessThan(60);
        assertThat(keys.size()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void shouldPauseConsumingRatherThanShedWhenAWorkingSinkFallsBehind(EmbeddedKafkaBroker broker) {
        Topics topics = KafkaSupport.topics(broker, 1);
        Map<String, SinkConfig> sinks = webhooks("/slow", "/ok");
        DeliveryConfig delivery = new DeliveryConfig(null, null, Duration.ofMillis(50), Duration.ofMillis(100), 2.0,
                0.5, Duration.ofSeconds(5), null, 5, Duration.ofSeconds(5));
        List<Map.Entry<String, Alert>> input = alerts(40, List.of("slow", "ok"));
        KafkaSupport.produce(broker, topics.kmsAlerts(), input);
        String group = "lag-" + topics.prefix();

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AlertsMetrics metrics = new AlertsMetrics();
        metrics.bindTo(registry);
        AlertDelivery d = start(broker, topics, group, config(sinks, delivery), metrics,
                Map.of("max.poll.records", "2"));
        int[] most = {0};
        await(Duration.ofSeconds(60), "slow sink received every alert", () -> {
            most[0] = Math.max(most[0], d.inFlight());
            return stub.distinctKeys("/slow") == 40;
        });
        await(Duration.ofSeconds(30), "offsets committed", () -> {
            try {
                return committedAll(broker, group + "-delivery", topics.kmsAlerts().name(), 1);
            } catch (Exception e) {
                return false;
            }
        });

        // The slow sink (30 ms an alert) never had more than maxQueued waiting plus one poll, and
        // one in hand: consumption paused for it instead of dropping anything.
        assertThat(most[0]).isPositive().isLessThanOrEqualTo(5 + 2 + 1);
        assertThat(stub.received("/slow")).extracting(StubReceiver.Received::idempotencyKey)
                .containsExactlyElementsOf(input.stream().map(Map.Entry::getKey).toList());
        assertThat(stub.received("/ok")).hasSize(40);
        // Every offset is committed, so every alert is settled on both sinks: none by dead letter.
        for (String sink : List.of("slow", "ok")) {
            assertThat(registry.get(AlertsMetrics.SENT).tag("sink", sink).tag("outcome", "success").counter().count())
                    .isEqualTo(40);
            assertThat(registry.find(AlertsMetrics.UNDELIVERABLE).tag("sink", sink).counters()).isEmpty();
        }
    }

    @Test
    void shouldSkipUnreadableRecordsAndProduceToAnExtraTopicKeyedByAlertId(EmbeddedKafkaBroker broker) {
        Topics topics = KafkaSupport.topics(broker, 1);
        String audit = topics.prefix() + "audit-alerts";
        broker.createTopics(1, audit);
        Map<String, SinkConfig> sinks = new LinkedHashMap<>();
        sinks.put("audit", new SinkConfig.Kafka(audit));
        sinks.put("bus", new SinkConfig.Kafka(null));
        AlertsMetrics metrics = new AlertsMetrics();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        var raw = new io.kmswatch.events.Topic<>(topics.kmsAlerts().name(),
                org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.ByteArray());
        KafkaSupport.produce(broker, raw, List.of(Map.entry("junk", "{not json".getBytes(StandardCharsets.UTF_8))));
        List<Map.Entry<String, Alert>> input = alerts(2, List.of("audit", "bus"));
        KafkaSupport.produce(broker, topics.kmsAlerts(), input);

        start(broker, topics, "kafka-" + topics.prefix(), config(sinks, DeliveryConfig.defaultConfig()), metrics);

        var auditTopic = new io.kmswatch.events.Topic<>(audit, org.apache.kafka.common.serialization.Serdes.String(),
                topics.kmsAlerts().valueSerde());
        List<Alert> copied = KafkaSupport.readUntil(broker, auditTopic, l -> l.size() >= 2, Duration.ofSeconds(30));
        assertThat(copied).extracting(Alert::id).containsExactlyElementsOf(input.stream().map(Map.Entry::getKey).toList());
        await(Duration.ofSeconds(30), "no-op kafka sink settled", () -> registry.find(AlertsMetrics.SENT)
                .tag("sink", "bus").tag("outcome", "success").counters().stream().mapToDouble(c -> c.count()).sum() == 2);
        assertThat(registry.get(AlertsMetrics.SKIPPED).tag("reason", "bad-alert").counter().count()).isEqualTo(1.0);
    }
}
