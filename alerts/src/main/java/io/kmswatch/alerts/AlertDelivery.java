package io.kmswatch.alerts;

import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop: consumes {@code kms-alerts} ({@code read_committed}) and hands each alert to
 * the {@code SinkWorker} of every sink it was routed to: each sink has its own thread, queue and
 * circuit, so a slow or dead sink delays only itself; what a sink gives up on goes to
 * {@code kms-alerts-undeliverable} ({@code DeadLetterPublisher}). A sink that works but is
 * {@code maxQueued} alerts behind pauses consumption until it catches up (back-pressure); a failing
 * sink sheds instead, so it never pauses the others.
 *
 * <p><b>Commits.</b> An offset is committed only when its alert has been accepted, or its dead
 * letter acknowledged by the broker, on every sink ({@code OffsetTracker}), so a crash or restart
 * re-delivers, never loses: delivery is at-least-once, and every sink passes the alert id on as
 * idempotency key. A sink's retry clock and circuit live in the process, so they start afresh after
 * a restart. Alerts routed to a sink this process does not have are dead-lettered. Unreadable
 * records are logged with their offset (they stay on the topic), counted and skipped. Not
 * thread-safe: call {@link #start} once and {@link #close} once.
 */
public final class AlertDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final AlertsConfig config;
    private final DeliveryConfig delivery;
    private final AlertsMetrics metrics;
    private final Map<String, Object> consumerConfig;
    private final AlertsAppSettings settings;
    private final Map<String, AlertSink> sinks;
    private final Clock clock = Clock.systemUTC();
    private final DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private final Map<String, SinkWorker> workers = new ConcurrentHashMap<>();
    private final OffsetTracker offsets = new OffsetTracker();
    private final Object lifecycle = new Object();
    private KafkaConsumer<String, byte[]> consumer;
    private DeadLetterPublisher deadLetters;
    private Thread loop;
    private volatile boolean running;
    private volatile Duration closeWait;
    private volatile Throwable failure;

    /**
     * @param sinks owned by the delivery: closed by {@link #close}
     */
    public AlertDelivery(AlertsAppSettings settings, AlertsConfig config, Map<String, AlertSink> sinks,
                         AlertsMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.delivery = config.delivery();
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.sinks = Map.copyOf(sinks);

        Map<String, Object> c = producerConfig(settings);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.deliveryGroupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.deliveryGroupId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumerConfig = c;
        this.settings = settings;
    }

    /** Producer settings for sinks that produce to Kafka (same cluster and client settings). */
    public static Map<String, Object> producerConfig(AlertsAppSettings settings) {
        Map<String, Object> p = new LinkedHashMap<>(settings.kafka());
        p.put("bootstrap.servers", settings.bootstrapServers());
        return p;
    }

    /**
     * Connects and starts the loop and the sink workers.
     *
     * @throws IllegalStateException when already started
     */
    public void start() {
        synchronized (lifecycle) {
            if (loop != null) {
                throw new IllegalStateException("delivery already started");
            }
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            deadLetters = DeadLetterPublisher.create(settings, delivery, metrics, random);
            sinks.forEach((name, sink) -> workers.put(name, worker(sink, true)));
            running = true;
            loop = new Thread(this::run, "kmswatch-alerts-delivery");
            loop.setDaemon(true);
            loop.start();
        }
    }

    private SinkWorker worker(AlertSink sink, boolean configured) {
        return new SinkWorker(sink, configured, delivery, metrics, deadLetters, clock,
                DeliveryScheduler.singleThread("kmswatch-alerts-sink-" + sink.name()), random);
    }

    /** True while the loop runs; false after {@link #close} or a fatal error ({@link #failure()}). */
    public boolean isRunning() {
        return running && loop != null && loop.isAlive();
    }

    /** The error that stopped the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Alerts polled and not yet settled on every sink. */
    public int inFlight() {
        return offsets.inFlight();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(settings.topics().kmsAlerts().name()), new Rebalance());
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    dispatch(r);
                }
                commitSettled();
                flowControl();
            }
            drain();
        } catch (WakeupException e) {
            // close(): fall through to shutdown.
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("Alert delivery loop stopped: {}", e.toString(), e);
        } finally {
            running = false;
            stopWorkers();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("Closing the alert delivery consumer failed: {}", e.toString());
            }
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Alert alert = parse(r);
        if (alert == null || alert.sinks().isEmpty()) {
            offsets.consumed(tp, r.offset(), 0);
            return;
        }
        metrics.track(alert, config.suppressionWindowFor(alert.detection()));
        OffsetTracker.Ticket ticket = offsets.consumed(tp, r.offset(), alert.sinks().size());
        Instant polled = clock.instant();
        for (String sink : alert.sinks()) {
            workers.computeIfAbsent(sink, n -> worker(SinkWorker.missingSink(n), false))
                    .submit(new SinkWorker.Task(alert, polled, () -> offsets.settle(ticket)));
        }
    }

    private Alert parse(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(r.value(), Alert.class);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            metrics.skipped("bad-alert");
            LOG.warn("Skipping unreadable alert at {}-{}@{} (left on the topic): {}", r.topic(), r.partition(),
                    r.offset(), e.getMessage());
            return null;
        }
    }

    private void commitSettled() {
        Map<TopicPartition, OffsetAndMetadata> commit = offsets.toCommit();
        if (!commit.isEmpty()) {
            try {
                consumer.commitSync(commit);
                offsets.committed(commit);
            } catch (CommitFailedException | RetriableException | RebalanceInProgressException e) {
                // A rebalance took the partitions, or the coordinator moved: the next poll sorts
                // out ownership and the next commit retries; at worst alerts are delivered again.
                LOG.warn("Committing delivered alerts failed, will retry: {}", e.toString());
            }
        }
    }

    /** Pauses consumption while a working sink is {@code maxQueued} alerts behind, resumes when none is. */
    private void flowControl() {
        boolean behind = workers.values().stream().anyMatch(SinkWorker::lagging);
        if (behind && consumer.paused().isEmpty() && !consumer.assignment().isEmpty()) {
            consumer.pause(consumer.assignment());
        } else if (!behind && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** After close(): let outstanding deliveries finish for up to closeWait, then commit what settled. */
    private void drain() {
        long deadline = System.nanoTime() + closeWait.toNanos();
        while (offsets.inFlight() > 0 && System.nanoTime() < deadline) {
            commitSettled();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopWorkers();
        commitSettled();
        if (offsets.inFlight() > 0) {
            LOG.info("Alert delivery closing with {} alerts unsettled; they will be delivered again on restart",
                    offsets.inFlight());
        }
    }

    /** Workers and dead letters stop: what is unsettled now is delivered again by the next process. */
    private void stopWorkers() {
        workers.values().forEach(SinkWorker::stop);
        if (deadLetters != null) {
            deadLetters.stop();
        }
    }

    /** Stops, waiting up to {@code delivery.closeTimeout} for outstanding deliveries. */
    @Override
    public void close() {
        close(delivery.closeTimeout());
    }

    /**
     * Stops consuming, waits up to {@code wait} for outstanding deliveries, commits what settled,
     * and closes the sinks; anything unsettled is delivered again by the next process.
     */
    public void close(Duration wait) {
        Thread t;
        synchronized (lifecycle) {
            closeWait = wait;
            running = false;
            t = loop;
        }
        if (t != null) {
            try {
                t.join(wait.toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopWorkers();
        workers.values().forEach(SinkWorker::join);
        sinks.values().forEach(SinkWorker::closeSink);
        if (deadLetters != null) {
            deadLetters.close();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commitSettled();
            } catch (RuntimeException e) {
                LOG.warn("Commit on revocation failed; those alerts will be delivered again: {}", e.toString());
            }
            // Deliveries still running for these partitions finish, but the new owner re-delivers
            // them too (at-least-once); their settlements are ignored here.
            offsets.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
