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
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * the worker of every sink it was routed to. Each sink has its own thread, queue and circuit, so a
 * slow or dead sink delays only itself.
 *
 * <p><b>Order and retries.</b> Within a sink, alerts go out one at a time in the order they were
 * consumed, each retried before the next is tried (so in order per alert id). A worker retries
 * retryable failures with exponential backoff and jitter, or exactly the receiver's
 * {@code Retry-After}, until the alert has been failing for {@code giveUpAfter} (counted from its
 * first attempt; {@link DeliveryConfig#nextWait}). A permanent failure is dead-lettered at once: an
 * {@link UndeliverableAlert} on {@code kms-alerts-undeliverable} with the error.
 *
 * <p><b>Down sinks.</b> When an alert has failed for {@code giveUpAfter}, the sink is down (its
 * {@link SinkCircuit} opens, gauge {@code kmswatch.alerts.sink.up} 0, one WARN): that alert and every
 * alert queued for the sink are dead-lettered at once with the last error, and so is each new alert
 * for it, without an attempt, except that one alert at most every {@code maxBackoff} is tried once
 * as a probe. The first probe the sink answers closes the circuit (one INFO) and delivery goes on.
 *
 * <p><b>Bounds.</b> A sink holds at most {@code maxQueued} waiting alerts. Beyond that, a sink whose
 * current alert is failing (or that is down) sheds: new alerts for it are dead-lettered with
 * "queue full", and the other sinks go on. A sink that works but cannot keep up instead pauses
 * consumption until its queue is below the bound (back-pressure; nothing is shed for being slow).
 *
 * <p><b>Commits.</b> An offset is committed only when its alert has been accepted, or its dead
 * letter acknowledged by the broker, on every sink, so a crash or restart re-delivers, never
 * loses: delivery is at-least-once, and every sink passes the alert id on as idempotency key. A
 * sink's retry clock and circuit live in the process, so they start afresh after a restart. Alerts
 * routed to a sink this process does not have are dead-lettered. Unreadable records are logged with
 * their offset (they stay on the topic), counted and skipped. Not thread-safe: call {@link #start}
 * once and {@link #close} once.
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
    /** Schedules another try of a dead letter the broker did not acknowledge. */
    private ScheduledExecutorService deadLetterRetries;
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
            deadLetterRetries = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kmswatch-alerts-dead-letter-retry");
                t.setDaemon(true);
                return t;
            });
            sinks.forEach((name, sink) -> workers.put(name, new Worker(sink, true)));
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
            workers.computeIfAbsent(sink, n -> new Worker(new MissingSink(n), false))
                    .submit(new Task(alert, pending, polled));
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

    /**
     * Pauses consumption while a sink that works is {@code maxQueued} alerts behind, resumes when no
     * sink is; a failing sink sheds instead ({@link Worker#submit}), so it never pauses the others.
     */
    private void flowControl() {
        boolean behind = workers.values().stream().anyMatch(Worker::lagging);
        if (behind && consumer.paused().isEmpty() && !consumer.assignment().isEmpty()) {
            consumer.pause(consumer.assignment());
        } else if (!behind && !consumer.paused().isEmpty()) {
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
        if (deadLetterRetries != null) {
            deadLetterRetries.shutdownNow();
        }
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

    /**
     * Writes a dead letter without waiting; once the broker has it, the alert is settled on that
     * sink. A write the broker refuses is tried again after a backoff. At shutdown it is left
     * unsettled, so the alert is delivered again by the next process.
     */
    private void deadLetter(Task t, UndeliverableAlert dead) {
        sendDeadLetter(t, dead, 1);
    }

    private void sendDeadLetter(Task t, UndeliverableAlert dead, int attempt) {
        if (aborting) {
            return;
        }
        try {
            dlq.send(new ProducerRecord<>(deadLetter.name(), dead.alert().id(), dead), (md, e) -> {
                if (e == null) {
                    metrics.undeliverable(dead.sink());
                    settle(t.pending);
                } else {
                    retryDeadLetter(t, dead, attempt, e);
                }
            });
        } catch (RuntimeException e) {
            // Buffer full for max.block.ms, or the producer closing: try again later like a refused write.
            retryDeadLetter(t, dead, attempt, e);
        }
    }

    private void retryDeadLetter(Task t, UndeliverableAlert dead, int attempt, Exception e) {
        if (aborting) {
            return;
        }
        LOG.warn("Writing alert {} for sink {} to {} failed (attempt {}), retrying: {}", dead.alert().id(), dead.sink(),
                deadLetter.name(), attempt, e.toString());
        try {
            deadLetterRetries.schedule(() -> sendDeadLetter(t, dead, attempt + 1),
                    delivery.backoff(attempt, ThreadLocalRandom.current().nextDouble()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // close() stopped the scheduler: the alert stays unsettled and is delivered again.
        }
    }

    /**
     * A sink's thread, queue and circuit: attempts, retries, probes, dead letters. The queue is fed
     * by the loop thread; everything else runs on the worker's thread.
     */
    private final class Worker {
        private final AlertSink sink;
        /** False for a sink this process does not have: it fails permanently, so it never opens. */
        private final boolean configured;
        private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        private final SinkCircuit circuit = new SinkCircuit(delivery.maxBackoff());
        private final Map<String, Boolean> recent = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                return size() > RECENT;
            }
        };
        private final Thread thread;
        /** From an alert's first retryable failure until the sink answers again; read by the loop thread. */
        private volatile boolean failing;
        private volatile String lastError = "";
        /** Loop thread only: a shed episode has been logged. */
        private boolean shedding;

        Worker(AlertSink sink, boolean configured) {
            this.sink = sink;
            this.configured = configured;
            if (configured) {
                metrics.sinkUp(sink.name(), true);
            }
            this.thread = new Thread(this::run, "kmswatch-alerts-sink-" + sink.name());
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Loop thread: queues the alert, or dead-letters it ("queue full") when the sink is failing
         * and already has {@code maxQueued} alerts waiting.
         */
        void submit(Task t) {
            if (failing && queue.size() >= delivery.maxQueued()) {
                if (!shedding) {
                    shedding = true;
                    LOG.warn("Sink {} is failing with {} alerts waiting (maxQueued); new alerts for it go to {} "
                            + "until it takes alerts again", sink.name(), queue.size(), deadLetter.name());
                }
                metrics.failed(sink.name(), Duration.between(t.polled, Instant.now()));
                deadLetter(t, new UndeliverableAlert(t.alert, sink.name(), sink.name() + ": queue full, "
                        + delivery.maxQueued() + " alerts waiting on a failing sink (last error: " + lastError + ")",
                        0, null));
                return;
            }
            if (!failing) {
                shedding = false;
            }
            queue.add(t);
        }

        /** True when the sink works but has {@code maxQueued} alerts waiting: the loop should pause. */
        boolean lagging() {
            return !failing && queue.size() >= delivery.maxQueued();
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
                handle(t);
            }
        }

        /** Delivers, dead-letters or (at shutdown) abandons one alert. */
        private void handle(Task t) {
            if (recent.containsKey(WebhookSink.updateKey(t.alert))) {
                settle(t.pending);
            } else if (!circuit.isOpen()) {
                deliver(t);
            } else if (circuit.probe(Instant.now())) {
                probe(t);
            } else {
                skip(t);
            }
        }

        /** One try, to the sink itself; null when it accepted. */
        private AlertDeliveryException attempt(Task t) {
            try {
                sink.deliver(t.alert);
                recent.put(WebhookSink.updateKey(t.alert), Boolean.TRUE);
                return null;
            } catch (AlertDeliveryException e) {
                return e;
            } catch (RuntimeException e) {
                return new AlertDeliveryException(sink.name() + ": " + e, true, e);
            }
        }

        /** The sink is up: try, retrying retryable failures for giveUpAfter, then take the sink as down. */
        private void deliver(Task t) {
            long first = System.nanoTime();
            List<Throwable> earlier = new ArrayList<>();
            for (int attempt = 1; !aborting; attempt++) {
                AlertDeliveryException failure = attempt(t);
                if (failure == null) {
                    failing = false;
                    accepted(t);
                    return;
                }
                if (!failure.retryable()) {
                    failing = false;
                    earlier.forEach(failure::addSuppressed);
                    refused(t, failure, attempt);
                    return;
                }
                failing = true;
                lastError = failure.getMessage();
                Optional<Duration> wait = delivery.nextWait(sink.name(), attempt,
                        Duration.ofNanos(System.nanoTime() - first), failure.retryAfter().orElse(null),
                        ThreadLocalRandom.current().nextDouble());
                if (wait.isEmpty()) {
                    earlier.forEach(failure::addSuppressed);
                    down(t, failure, attempt);
                    return;
                }
                earlier.add(failure);
                metrics.retried(sink.name());
                LOG.debug("Sink {} attempt {} for alert {} failed ({}); retrying in {} ms", sink.name(), attempt,
                        t.alert.id(), failure.getMessage(), wait.get().toMillis());
                if (!sleep(wait.get())) {
                    return;
                }
            }
        }

        /** The sink is down and a probe is due: one try; an answer closes the circuit. */
        private void probe(Task t) {
            AlertDeliveryException failure = attempt(t);
            if (failure == null) {
                up(t);
                accepted(t);
            } else if (!failure.retryable()) {
                up(t);
                refused(t, failure, 1);
            } else {
                circuit.probeFailed(failure.getMessage());
                lastError = failure.getMessage();
                LOG.debug("Sink {} still down: probe with alert {} failed ({})", sink.name(), t.alert.id(),
                        failure.getMessage());
                circuit.deadLettered();
                metrics.failed(sink.name(), Duration.between(t.polled, Instant.now()));
                deadLetter(t, new UndeliverableAlert(t.alert, sink.name(), failure.getMessage(), 1, Instant.now()));
            }
        }

        /** The sink is down and no probe is due: dead-letter without trying. */
        private void skip(Task t) {
            if (recent.containsKey(WebhookSink.updateKey(t.alert))) {
                settle(t.pending);
                return;
            }
            circuit.deadLettered();
            metrics.failed(sink.name(), Duration.between(t.polled, Instant.now()));
            deadLetter(t, new UndeliverableAlert(t.alert, sink.name(), circuit.lastError() + " (sink down since "
                    + circuit.openedAt() + ", not attempted)", 0, null));
        }

        private void accepted(Task t) {
            metrics.sent(sink.name(), Duration.between(t.polled, Instant.now()));
            settle(t.pending);
        }

        /** A permanent failure: the sink answered, and will not take this alert. */
        private void refused(Task t, AlertDeliveryException failure, int attempts) {
            metrics.failed(sink.name(), Duration.between(t.polled, Instant.now()));
            LOG.warn("Alert {} ({}) refused by sink {} after {} attempt(s): {}", t.alert.id(), t.alert.detection(),
                    sink.name(), attempts, failure.getMessage());
            deadLetter(t, new UndeliverableAlert(t.alert, sink.name(), failure.getMessage(), attempts, Instant.now()));
        }

        /** {@code t} has failed for giveUpAfter: open the circuit, dead-letter it and the whole queue. */
        private void down(Task t, AlertDeliveryException failure, int attempts) {
            Instant now = Instant.now();
            circuit.open(now, failure.getMessage());
            if (configured) {
                metrics.sinkUp(sink.name(), false);
            }
            List<Task> queued = new ArrayList<>();
            queue.drainTo(queued);
            LOG.warn("Sink {} is down: alert {} failed for {} ({} attempts; last: {}). Dead-lettering it, the {} "
                    + "alert(s) queued and new ones without trying; probing at most every {}", sink.name(),
                    t.alert.id(), delivery.giveUpAfterFor(sink.name()), attempts, failure.getMessage(), queued.size(),
                    delivery.maxBackoff());
            circuit.deadLettered();
            metrics.failed(sink.name(), Duration.between(t.polled, now));
            deadLetter(t, new UndeliverableAlert(t.alert, sink.name(), failure.getMessage(), attempts, now));
            queued.forEach(this::skip);
        }

        /** A probe got an answer: close the circuit. */
        private void up(Task t) {
            long deadLettered = circuit.deadLetteredWhileOpen();
            Duration down = circuit.close(Instant.now());
            failing = false;
            if (configured) {
                metrics.sinkUp(sink.name(), true);
            }
            LOG.info("Sink {} is up again after {} down (probe with alert {}); {} alert(s) were dead-lettered "
                    + "meanwhile", sink.name(), down, t.alert.id(), deadLettered);
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
