package io.kmswatch.alerts;

import static io.kmswatch.alerts.KafkaSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.alerts.sink.SinkFactory;
import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Topics;
import io.kmswatch.events.UndeliverableAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook sinks that go down and come back, or stay down, in front of the real delivery loop and
 * the embedded broker. A {@link Receiver} is a loopback JDK {@code HttpServer} that is up (200),
 * unavailable (503) or down (stopped, so connections are refused), switched while alerts flow.
 *
 * <p>Several alerts, each with five updates (escalations, then its resolve), are written to
 * {@code kms-alerts} keyed by alert id; "in order per key" is the order of one alert's updates,
 * which share a partition and go through one worker per sink, one at a time.
 *
 * <p>The outage of {@link #shouldDeliverEveryUpdateInOrderPerAlertWhenSinkComesBackWithinGiveUpAfterUnderTheDefaults}
 * lasts {@code kmswatch.outage} (ISO-8601, default {@code PT20S}) under the default delivery
 * settings (giveUpAfter 10 min). The long version (about 4 minutes):
 * <pre>
 * mvn -o -B -pl alerts -am verify -Dtest=none -Dit.test=SinkOutageIT -Dkmswatch.outage=PT3M \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * The other case uses a giveUpAfter of seconds to take a stopped receiver as down and bring it
 * back through a probe once it listens again.
 *
 * <p>Only what needs real receivers, real time and the broker is here. The rules themselves
 * (backoff and jitter, {@code Retry-After}, giving up, the whole queue dead-lettered at once, probes,
 * shedding when the queue is full, lagging) are checked with exact instants on a hand-moved clock
 * in {@link SinkWorkerTest}, commit points in {@link OffsetTrackerTest}, and dead-letter writes in
 * {@link DeadLetterPublisherIT}.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SinkOutageIT {
    private static final Duration OUTAGE = Duration.parse(System.getProperty("kmswatch.outage", "PT20S"));

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void shouldDeliverEveryUpdateInOrderPerAlertWhenSinkComesBackWithinGiveUpAfterUnderTheDefaults(
            EmbeddedKafkaBroker broker) throws Exception {
        DeliveryConfig delivery = DeliveryConfig.defaultConfig();
        assertThat(OUTAGE).as("kmswatch.outage must be shorter than the default giveUpAfter")
                .isLessThan(delivery.giveUpAfter());
        Topics topics = KafkaSupport.topics(broker, 3);
        Receiver pager = receiver(Receiver.Mode.DOWN);
        Receiver audit = receiver(Receiver.Mode.UP);
        List<List<Alert>> byAlert = Detections.updates(12, List.of("pager", "audit"));
        int total = byAlert.size() * 5;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String group = "outage-" + topics.prefix();
        LogCapture log = logs();
        Map<String, ObservedSink> sinks = start(broker, topics, group, delivery, registry,
                Map.of("pager", pager, "audit", audit));

        // Refused for the first 40 % of the outage, 503 for the rest; updates are written all along.
        Instant downSince = Instant.now();
        produceRound(broker, topics, byAlert, 0);
        sleepUntil(downSince.plus(OUTAGE.multipliedBy(2).dividedBy(10)));
        produceRound(broker, topics, byAlert, 1);
        sleepUntil(downSince.plus(OUTAGE.multipliedBy(4).dividedBy(10)));
        pager.switchTo(Receiver.Mode.UNAVAILABLE);
        for (int round = 2; round < 5; round++) {
            produceRound(broker, topics, byAlert, round);
            sleepUntil(downSince.plus(OUTAGE.multipliedBy(4 + round).dividedBy(10)));
        }
        // The healthy sink is not held up by the dead one: it has everything while the pager is still down.
        await(Duration.ofSeconds(60), "audit received every update while the pager was down",
                () -> audit.accepted().size() >= total);
        sleepUntil(downSince.plus(OUTAGE));
        assertThat(pager.accepted()).isEmpty();
        assertThat(sinkUp(registry, "pager")).as("pager still within giveUpAfter, so not down").isEqualTo(1.0);
        pager.switchTo(Receiver.Mode.UP);
        Duration outage = Duration.between(downSince, Instant.now());

        await(delivery.maxBackoff().plusSeconds(60), "pager received every update after coming back",
                () -> pager.accepted().size() >= total);
        await(Duration.ofSeconds(30), "offsets committed", () -> committedAll(broker, group + "-delivery",
                topics.kmsAlerts().name(), 3));

        for (Receiver r : List.of(pager, audit)) {
            // At-least-once in general; within one process that never restarts each update is
            // accepted once (the worker remembers what it delivered, and no refused or 503 attempt
            // was accepted), and one alert's updates arrive in the order they were written.
            assertThat(r.accepted()).extracting(Receiver.Request::update)
                    .containsExactlyInAnyOrderElementsOf(updateKeys(byAlert.stream().flatMap(List::stream).toList()));
            assertThat(perAlert(r.accepted(), Receiver.Request::alertId, Receiver.Request::update))
                    .isEqualTo(perAlert(byAlert.stream().flatMap(List::stream).toList(), Alert::id,
                            WebhookSink::updateKey));
        }
        assertThat(pager.accepted()).allSatisfy(req -> assertThat(req.at()).isAfterOrEqualTo(downSince.plus(OUTAGE)));

        ObservedSink observed = sinks.get("pager");
        String refusedError = "pager: ConnectException connection refused or host unreachable";
        String unavailableError = "pager: HTTP 503 service unavailable";
        assertThat(observed.failures()).containsOnly(refusedError, unavailableError);
        assertThat(observed.failures()).as("attempts refused while down").contains(refusedError);
        assertThat(observed.failures()).as("attempts answered 503 while unavailable")
                .filteredOn(unavailableError::equals).hasSize((int) pager.answered(503));
        assertThat(pager.answered(503)).isPositive();
        assertThat(observed.attempts()).isEqualTo(total + observed.failures().size());

        assertThat(counter(registry, AlertsMetrics.RETRIED, "pager")).isEqualTo(observed.failures().size());
        assertThat(sent(registry, "pager", "success")).isEqualTo(total);
        assertThat(sent(registry, "pager", "failure")).isZero();
        assertThat(counter(registry, AlertsMetrics.UNDELIVERABLE, "pager")).isZero();
        var latency = registry.get(AlertsMetrics.DELIVERY_LATENCY).tag("sink", "pager").timer();
        assertThat(latency.count()).isEqualTo(total);
        // The first update waited out most of the outage, retries included.
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isGreaterThan(outage.toMillis() / 2.0);
        assertThat(counter(registry, AlertsMetrics.RETRIED, "audit")).isZero();
        assertThat(sent(registry, "audit", "success")).isEqualTo(total);
        assertThat(endOffsets(broker, topics.kmsAlertsUndeliverable().name(), 3)).isZero();
        assertThat(sinkUp(registry, "pager")).isEqualTo(1.0);
        assertThat(log.at(Level.WARN, "is down")).isEmpty();
        assertNoSecretOrBodyLogged(log, List.of(pager, audit), byAlert);
    }

    @Test
    @Timeout(180)
    void shouldCloseTheCircuitWhenADownSinkAnswersAProbeAndDeliverInOrderAgain(EmbeddedKafkaBroker broker)
            throws Exception {
        Topics topics = KafkaSupport.topics(broker, 2);
        Receiver pager = receiver(Receiver.Mode.DOWN);
        Receiver ok = receiver(Receiver.Mode.UP);
        DeliveryConfig delivery = new DeliveryConfig(Duration.ofSeconds(2), null, Duration.ofMillis(50),
                Duration.ofMillis(300), 2.0, 0.5, Duration.ofSeconds(5), null, null, Duration.ofSeconds(5));
        List<List<Alert>> byAlert = Detections.updates(4, List.of("pager", "ok"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String group = "probe-" + topics.prefix();
        LogCapture log = logs();
        Map<String, ObservedSink> sinks = start(broker, topics, group, delivery, registry,
                Map.of("pager", pager, "ok", ok));

        produceRound(broker, topics, byAlert, 0);
        await(Duration.ofSeconds(30), "pager taken as down", () -> sinkUp(registry, "pager") == 0.0);
        KafkaSupport.readUntil(broker, topics.kmsAlertsUndeliverable(), l -> l.size() >= byAlert.size(),
                Duration.ofSeconds(30));

        // Back up: alerts until a probe has gone through (one is due at most maxBackoff after the last).
        pager.switchTo(Receiver.Mode.UP);
        List<Alert> probes = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sinkUp(registry, "pager") == 0.0) {
            assertThat(System.nanoTime()).as("a probe closed the circuit within 30 s").isLessThan(deadline);
            Alert probe = Detections.fire().fingerprint("fp-probe-" + probes.size())
                    .alert(AlertTopology.alertId("fp-probe-" + probes.size(), Detections.T0), List.of("pager", "ok"));
            probes.add(probe);
            KafkaSupport.produce(broker, topics.kmsAlerts(), List.of(Map.entry(probe.id(), probe)));
            long until = System.nanoTime() + delivery.maxBackoff().toNanos();
            while (sinkUp(registry, "pager") == 0.0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }
        for (int round = 1; round < 5; round++) {
            produceRound(broker, topics, byAlert, round);
        }
        int later = byAlert.size() * 4;
        Set<String> ids = byAlert.stream().map(l -> l.get(0).id()).collect(Collectors.toSet());
        await(Duration.ofSeconds(60), "pager received every later update",
                () -> pager.accepted().stream().filter(r -> ids.contains(r.alertId())).count() >= later);
        await(Duration.ofSeconds(30), "ok received every update and probe",
                () -> ok.accepted().size() >= byAlert.size() * 5 + probes.size());
        await(Duration.ofSeconds(30), "offsets committed", () -> committedAll(broker, group + "-delivery",
                topics.kmsAlerts().name(), 2));

        List<String> acceptedProbes = pager.accepted().stream().map(Receiver.Request::alertId)
                .filter(id -> probes.stream().anyMatch(p -> p.id().equals(id))).toList();
        assertThat(acceptedProbes).as("the probe that closed the circuit").isNotEmpty();
        List<Alert> laterUpdates = byAlert.stream().flatMap(l -> l.subList(1, l.size()).stream()).toList();
        List<Receiver.Request> laterAccepted = pager.accepted().stream()
                .filter(r -> !acceptedProbes.contains(r.alertId())).toList();
        assertThat(perAlert(laterAccepted, Receiver.Request::alertId, Receiver.Request::update))
                .isEqualTo(perAlert(laterUpdates, Alert::id, WebhookSink::updateKey));

        List<String> expectedDead = new ArrayList<>(updateKeys(byAlert.stream().map(l -> l.get(0)).toList()));
        probes.stream().filter(p -> !acceptedProbes.contains(p.id())).map(WebhookSink::updateKey)
                .forEach(expectedDead::add);
        List<UndeliverableAlert> dead = KafkaSupport.readUntil(broker, topics.kmsAlertsUndeliverable(),
                l -> l.size() >= expectedDead.size(), Duration.ofSeconds(30));
        assertThat(dead).allSatisfy(u -> {
            assertThat(u.sink()).isEqualTo("pager");
            assertThat(u.error()).startsWith("pager: ConnectException connection refused or host unreachable");
        });
        assertThat(dead).extracting(u -> WebhookSink.updateKey(u.alert()))
                .containsExactlyInAnyOrderElementsOf(expectedDead);
        // The first update was tried until giveUpAfter; the others queued behind it went with it, untried.
        assertThat(dead).filteredOn(u -> ids.contains(u.alert().id())).hasSize(byAlert.size())
                .filteredOn(u -> u.attempts() > 0).hasSize(1);

        assertThat(sinkUp(registry, "pager")).isEqualTo(1.0);
        assertThat(sent(registry, "pager", "success")).isEqualTo(later + acceptedProbes.size());
        assertThat(counter(registry, AlertsMetrics.UNDELIVERABLE, "pager")).isEqualTo(expectedDead.size());
        assertThat(ok.accepted()).hasSize(byAlert.size() * 5 + probes.size());
        assertThat(sinks.get("pager").failures()).allSatisfy(e -> assertThat(e)
                .isEqualTo("pager: ConnectException connection refused or host unreachable"));
        assertThat(log.at(Level.WARN, "Sink pager is down")).hasSize(1);
        assertThat(log.at(Level.INFO, "Sink pager is up again")).hasSize(1);
        assertNoSecretOrBodyLogged(log, List.of(pager, ok), byAlert);
    }

    private LogCapture logs() {
        LogCapture capture = new LogCapture(AlertDelivery.class, SinkWorker.class, DeadLetterPublisher.class);
        open.add(capture);
        return capture;
    }

    private static double sinkUp(SimpleMeterRegistry registry, String sink) {
        return registry.get(AlertsMetrics.SINK_UP).tag("sink", sink).gauge().value();
    }

    /** Logs name sinks and alert ids only: no receiver address, and nothing of an alert's body. */
    private static void assertNoSecretOrBodyLogged(LogCapture log, List<Receiver> receivers, List<List<Alert>> byAlert) {
        List<String> forbidden = new ArrayList<>(List.of("http://", "/hook"));
        receivers.forEach(r -> forbidden.add(":" + r.url().getPort()));
        byAlert.stream().flatMap(List::stream).forEach(a -> {
            forbidden.add(a.title());
            forbidden.add(a.summary());
            forbidden.add(a.keyArn());
        });
        assertThat(log.lines()).allSatisfy(line -> assertThat(line.message()).doesNotContain(forbidden));
    }

    private Receiver receiver(Receiver.Mode mode) throws IOException {
        Receiver r = new Receiver(mode);
        open.add(r);
        return r;
    }

    /** Starts the delivery loop with one webhook sink per receiver, each observed. */
    private Map<String, ObservedSink> start(EmbeddedKafkaBroker broker, Topics topics, String group,
                                            DeliveryConfig delivery, SimpleMeterRegistry registry,
                                            Map<String, Receiver> receivers) {
        Map<String, SinkConfig> configs = new LinkedHashMap<>();
        receivers.forEach((name, r) -> configs.put(name, new SinkConfig.Webhook(r.url(), null)));
        AlertsConfig config = new AlertsConfig(null, null, null, null, List.copyOf(configs.keySet()), null, null,
                configs, delivery);
        AlertsAppSettings settings = AlertsAppSettings.of(broker.bootstrapServers())
                .withTopicPrefix(topics.prefix()).withApplicationId(group).running(false, true);
        SinkFactory factory = new SinkFactory(delivery.attemptTimeout(), AlertDelivery.producerConfig(settings),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false,
                config::suppressionWindowFor, Clock.systemUTC());
        Map<String, ObservedSink> observed = new LinkedHashMap<>();
        factory.createAll(configs).forEach((name, sink) -> observed.put(name, new ObservedSink(sink)));
        AlertsMetrics metrics = new AlertsMetrics();
        metrics.bindTo(registry);
        metrics.registerSinks(configs.keySet());
        AlertDelivery d = new AlertDelivery(settings, config, Map.copyOf(observed), metrics);
        open.add(() -> d.close(Duration.ZERO));
        d.start();
        return observed;
    }

    private static void produceRound(EmbeddedKafkaBroker broker, Topics topics, List<List<Alert>> byAlert, int round) {
        KafkaSupport.produce(broker, topics.kmsAlerts(), byAlert.stream().map(l -> l.get(round))
                .map(a -> Map.entry(a.id(), a)).toList());
    }

    private static List<String> updateKeys(List<Alert> alerts) {
        return alerts.stream().map(WebhookSink::updateKey).toList();
    }

    /** Groups by alert id, keeping the order within each group. */
    private static <T> Map<String, List<String>> perAlert(List<T> items, Function<T, String> id,
                                                          Function<T, String> update) {
        return items.stream().collect(Collectors.groupingBy(id, LinkedHashMap::new,
                Collectors.mapping(update, Collectors.toList())));
    }

    private static double counter(SimpleMeterRegistry registry, String name, String sink) {
        return registry.get(name).tag("sink", sink).counter().count();
    }

    private static double sent(SimpleMeterRegistry registry, String sink, String outcome) {
        return registry.get(AlertsMetrics.SENT).tag("sink", sink).tag("outcome", outcome).counter().count();
    }

    /** The outage itself: time passing while the sink is down, not a wait for a result. */
    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static boolean committedAll(EmbeddedKafkaBroker broker, String group, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> q = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(q).all().get().entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                    && committed.get(e.getKey()).offset() == e.getValue().offset());
        } catch (Exception e) {
            return false;
        }
    }

    private static long endOffsets(EmbeddedKafkaBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> q = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(q).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    /** The real sink, with a count of its attempts and the error of each failed one. */
    private static final class ObservedSink implements AlertSink {
        private final AlertSink sink;
        private final AtomicInteger attempts = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        ObservedSink(AlertSink sink) {
            this.sink = sink;
        }

        @Override
        public String name() {
            return sink.name();
        }

        @Override
        public void deliver(Alert alert) {
            attempts.incrementAndGet();
            try {
                sink.deliver(alert);
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
                throw e;
            }
        }

        int attempts() {
            return attempts.get();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() {
            sink.close();
        }
    }

    /**
     * A webhook receiver on one loopback port: up answers 200, unavailable 503
     * {@code service unavailable}, down is stopped (nothing listens, connections are refused).
     * Every request it answered is recorded with the alert id and update it carried.
     */
    private static final class Receiver implements AutoCloseable {
        enum Mode { UP, UNAVAILABLE, DOWN }

        record Request(String alertId, String update, int status, Instant at) {
        }

        private final int port;
        private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
        private volatile Mode mode;
        private HttpServer server;
        private ExecutorService pool;

        Receiver(Mode initial) throws IOException {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            switchTo(initial);
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port + "/hook");
        }

        /** Stops the server for DOWN (closing its connections); starts it on the same port otherwise. */
        synchronized void switchTo(Mode next) throws IOException {
            mode = next;
            if (next == Mode.DOWN) {
                stop();
            } else if (server == null) {
                server = bind();
                pool = Executors.newFixedThreadPool(4);
                server.setExecutor(pool);
                server.createContext("/", this::handle);
                server.start();
            }
        }

        private HttpServer bind() throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                } catch (BindException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }

        List<Request> requests() {
            return List.copyOf(requests);
        }

        List<Request> accepted() {
            return requests.stream().filter(r -> r.status == 200).toList();
        }

        long answered(int status) {
            return requests.stream().filter(r -> r.status == status).count();
        }

        private void handle(HttpExchange ex) throws IOException {
            ex.getRequestBody().readAllBytes();
            int status = mode == Mode.UP ? 200 : 503;
            requests.add(new Request(ex.getRequestHeaders().getFirst(WebhookSink.IDEMPOTENCY_HEADER),
                    ex.getRequestHeaders().getFirst(WebhookSink.UPDATE_HEADER), status, Instant.now()));
            byte[] body = (status == 200 ? "" : "service unavailable").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        }

        private void stop() {
            if (server != null) {
                server.stop(0);
                pool.shutdownNow();
                server = null;
                pool = null;
            }
        }

        @Override
        public synchronized void close() {
            stop();
        }
    }
}
