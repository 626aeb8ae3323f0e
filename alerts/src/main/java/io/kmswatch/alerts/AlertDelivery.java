package io.kmswatch.alerts;

import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import io.kmswatch.events.Topic;
import io.kmswatch.events.UndeliverableAlert;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop: consumes {@code kms-alerts} ({@code read_committed}) and hands each alert to
 * the worker of every sink it was routed to. Each sink has its own thread and queue, so a slow or
 * dead sink delays only itself (until {@code maxInFlight} alerts wait on it); within a sink, alerts
 * go out one at a time in the order they were consumed, each retried before the next is tried (so
 * in order per alert id). A worker retries retryable failures with exponential backoff and jitter, or
 * exactly the receiver's {@code Retry-After}; after the last attempt, or at once for a permanent
 * failure, it writes an {@link UndeliverableAlert} to {@code kms-alerts-undeliverable}. An offset is
 * committed only when its alert has been accepted or dead-lettered by every sink, so a crash or
 * restart re-delivers, never loses: delivery is at-least-once, and every sink passes the alert id on
 * as idempotency key. Alerts routed to a sink this process does not have are dead-lettered.
 *
 * <p>At most {@code maxInFlight} alerts are outstanding; beyond that the loop pauses consumption.
 * Unreadable records are logged with their offset (they stay on the topic), counted and skipped.
 * Not thread-safe: call {@link #start} once and {@link #close} once.
 */
public final class AlertDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Updates a worker remembers having delivered, to drop repeats within this process. */
    private static final int RECENT = 10_000;

    private final AlertsConfig config;
    private final DeliveryConfig delivery;
    private final AlertsMetrics metrics;
    private final Topic<String, Alert> alertsTopic;
    private final Topic<String, UndeliverableAlert> deadLetter;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final Map<String, AlertSink> sinks;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Tracker> trackers = new HashMap<>();
    private final ConcurrentLinkedQueue<Pending> settled = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object lifecycle = new Object();
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, UndeliverableAlert> dlq;
    private Thread loop;
    private volatile boolean running;
    private volatile boolean aborting;
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
        this.alertsTopic = settings.topics().kmsAlerts();
        this.deadLetter = settings.topics().kmsAlertsUndeliverable();

        Map<String, Object> common = new LinkedHashMap<>(settings.kafka());
        common.put("bootstrap.servers", settings.bootstrapServers());
        Map<String, Object> c = new LinkedHashMap<>(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.deliveryGroupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.deliveryGroupId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumerConfig = c;
        Map<String, Object> p = new LinkedHashMap<>(common);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.deliveryGroupId() + "-dead-letter");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producerConfig = p;
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
            dlq = new KafkaProducer<>(producerConfig, new StringSerializer(), deadLetter.valueSerde().serializer());
            sinks.forEach((name, sink) -> workers.put(name, new Worker(sink)));
            running = true;
            loop = new Thread(this::run, "kmswatch-alerts-delivery");
            loop.setDaemon(true);
            loop.start();
        }
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
        return inFlight.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(alertsTopic.name()), new Rebalance());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
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
            aborting = true;
            workers.values().forEach(Worker::stop);
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("Closing the alert delivery consumer failed: {}", e.toString());
            }
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Tracker tracker = trackers.computeIfAbsent(tp, k -> new Tracker());
        tracker.add(r.offset());
        Pending pending = new Pending(tp, r.offset());
        Alert alert = parse(r);
        if (alert == null || alert.sinks().isEmpty()) {
            tracker.settle(r.offset());
            return;
        }
        metrics.track(alert, config.suppressionWindowFor(alert.detection()));
        pending.remaining.set(alert.sinks().size());
        inFlight.incrementAndGet();
        Instant polled = Instant.now();
        for (String sink : alert.sinks()) {
            workers.computeIfAbsent(sink, n -> new Worker(new MissingSink(n))).submit(new Task(alert, pending, polled));
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
        Pending p;
        while ((p = settled.poll()) != null) {
            Tracker t = trackers.get(p.tp);
            if (t != null) {
                t.settle(p.offset);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        trackers.forEach((tp, t) -> t.advance().ifPresent(o -> commit.put(tp, new OffsetAndMetadata(o))));
        if (!commit.isEmpty()) {
            try {
                consumer.commitSync(commit);
                commit.forEach((tp, o) -> trackers.get(tp).committed(o.offset()));
            } catch (CommitFailedException | RetriableException | RebalanceInProgressException e) {
                // A rebalance took the partitions, or the coordinator moved: the next poll sorts
                // out ownership and the next commit retries; at worst alerts are delivered again.
                LOG.warn("Committing delivered alerts failed, will retry: {}", e.toString());
            }
        }
    }

    private void flowControl() {
        boolean full = inFlight.get() >= delivery.maxInFlight();
        if (full && consumer.paused().isEmpty() && !consumer.assignment().isEmpty()) {
            consumer.pause(consumer.assignment());
        } else if (!full && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** After close(): let outstanding deliveries finish for up to closeWait, then commit what settled. */
    private void drain() {
        long deadline = System.nanoTime() + closeWait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            commitSettled();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        aborting = true;
        commitSettled();
        if (inFlight.get() > 0) {
            LOG.info("Alert delivery closing with {} alerts unsettled; they will be delivered again on restart",
                    inFlight.get());
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
        aborting = true;
        workers.values().forEach(Worker::stop);
        workers.values().forEach(Worker::join);
        sinks.values().forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing sink {} failed: {}", s.name(), e.toString());
            }
        });
        if (dlq != null) {
            dlq.close(Duration.ofSeconds(5));
        }
    }

    private void settle(Pending p) {
        if (p.remaining.decrementAndGet() == 0) {
            inFlight.decrementAndGet();
            settled.add(p);
        }
    }

    /** One alert on one sink. */
    private record Task(Alert alert, Pending pending, Instant polled) {
    }

    /** One consumed record waiting on its sinks. */
    private static final class Pending {
        final TopicPartition tp;
        final long offset;
        final AtomicInteger remaining = new AtomicInteger();

        Pending(TopicPartition tp, long offset) {
            this.tp = tp;
            this.offset = offset;
        }
    }

    /** Offsets of one partition consumed and not yet settled; the commit point is the lowest. Loop thread only. */
    private static final class Tracker {
        private final TreeSet<Long> open = new TreeSet<>();
        private long next = -1;
        private long committed = -1;

        void add(long offset) {
            open.add(offset);
            next = Math.max(next, offset + 1);
        }

        void settle(long offset) {
            open.remove(offset);
        }

        Optional<Long> advance() {
            long point = open.isEmpty() ? next : open.first();
            return point > committed && point >= 0 ? Optional.of(point) : Optional.empty();
        }

        void committed(long offset) {
            committed = offset;
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
            partitions.forEach(trackers::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    /** A sink's thread and queue: attempts, retries, dead-letters. */
    private final class Worker {
        private final AlertSink sink;
        private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        private final Map<String, Boolean> recent = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                return size() > RECENT;
            }
        };
        private final Thread thread;

        Worker(AlertSink sink) {
            this.sink = sink;
            this.thread = new Thread(this::run, "kmswatch-alerts-sink-" + sink.name());
            thread.setDaemon(true);
            thread.start();
        }

        void submit(Task t) {
            queue.add(t);
        }

        void stop() {
            thread.interrupt();
        }

        void join() {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            while (!aborting) {
                Task t;
                try {
                    t = queue.take();
                } catch (InterruptedException e) {
                    if (aborting) {
                        return;
                    }
                    continue;
                }
                if (deliver(t)) {
                    settle(t.pending);
                }
            }
        }

        /** True when settled (accepted or dead-lettered); false when abandoned at shutdown. */
        private boolean deliver(Task t) {
            String update = WebhookSink.updateKey(t.alert);
            if (recent.containsKey(update)) {
                return true;
            }
            List<Throwable> earlier = new ArrayList<>();
            AlertDeliveryException last = null;
            int attempt = 0;
            while (!aborting) {
                attempt++;
                try {
                    sink.deliver(t.alert);
                    recent.put(update, Boolean.TRUE);
                    metrics.sent(sink.name(), Duration.between(t.polled, Instant.now()));
                    return true;
                } catch (AlertDeliveryException e) {
                    last = e;
                } catch (RuntimeException e) {
                    last = new AlertDeliveryException(sink.name() + ": " + e, true, e);
                }
                if (!last.retryable() || attempt >= delivery.maxAttempts()) {
                    break;
                }
                earlier.add(last);
                metrics.retried(sink.name());
                int failed = attempt;
                Duration wait = last.retryAfter()
                        .map(ra -> ra.compareTo(delivery.maxRetryAfter()) > 0 ? delivery.maxRetryAfter() : ra)
                        .orElseGet(() -> delivery.backoff(failed, ThreadLocalRandom.current().nextDouble()));
                LOG.debug("Sink {} attempt {} for alert {} failed ({}); retrying in {} ms", sink.name(), attempt,
                        t.alert.id(), last.getMessage(), wait.toMillis());
                if (!sleep(wait)) {
                    return false;
                }
            }
            if (last == null || aborting && last.retryable() && attempt < delivery.maxAttempts()) {
                return false;
            }
            earlier.forEach(last::addSuppressed);
            metrics.failed(sink.name(), Duration.between(t.polled, Instant.now()));
            LOG.warn("Alert {} ({}) undeliverable to sink {} after {} attempt(s): {}", t.alert.id(), t.alert.detection(),
                    sink.name(), attempt, last.getMessage());
            UndeliverableAlert dead = new UndeliverableAlert(t.alert, sink.name(), last.getMessage(), attempt, Instant.now());
            if (!deadLetter(dead)) {
                return false;
            }
            metrics.undeliverable(sink.name());
            return true;
        }

        /** Writes to the dead-letter topic, retrying until acknowledged; false when shutting down first. */
        private boolean deadLetter(UndeliverableAlert dead) {
            for (int attempt = 1; !aborting; attempt++) {
                try {
                    dlq.send(new ProducerRecord<>(deadLetter.name(), dead.alert().id(), dead)).get(30, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException | TimeoutException e) {
                    LOG.warn("Writing alert {} to {} failed (attempt {}), retrying: {}", dead.alert().id(),
                            deadLetter.name(), attempt, e.toString());
                    if (!sleep(delivery.backoff(attempt, ThreadLocalRandom.current().nextDouble()))) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    if (aborting) {
                        return false;
                    }
                }
            }
            return false;
        }

        private boolean sleep(Duration d) {
            long until = System.nanoTime() + d.toNanos();
            while (!aborting) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    // stop() interrupts; loop re-checks aborting.
                }
            }
            return false;
        }
    }

    /** Stands in for a sink an alert names but this process has not configured: fails permanently. */
    private record MissingSink(String name) implements AlertSink {
        @Override
        public void deliver(Alert alert) {
            throw new AlertDeliveryException("sink '" + name + "' is not configured in this process", false);
        }
    }
}
