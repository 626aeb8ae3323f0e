package io.kmswatch.alerts;

import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.events.Alert;
import io.kmswatch.events.UndeliverableAlert;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's queue and circuit: delivers the alerts handed to it one at a time, in the order
 * given, each retried before the next is tried.
 *
 * <p><b>Retries.</b> Retryable failures are tried again after exponential backoff with jitter, or
 * exactly the receiver's {@code Retry-After}, until the alert has been failing for
 * {@code giveUpAfter}, counted from its first attempt ({@link DeliveryConfig#nextWait}). A
 * permanent failure is dead-lettered at once.
 *
 * <p><b>Down.</b> When an alert has failed for {@code giveUpAfter}, the sink is down (its
 * {@link SinkCircuit} opens, gauge {@code kmswatch.alerts.sink.up} 0, one WARN): that alert and every
 * alert queued are dead-lettered at once with the last error, and so is each new alert, without an
 * attempt, except that one alert at most every {@code maxBackoff} is tried once as a probe. The
 * first probe the sink answers closes the circuit (one INFO) and delivery goes on.
 *
 * <p><b>Shedding.</b> At most {@code maxQueued} alerts wait. Beyond that, while the current alert is
 * failing (or the sink is down), new alerts are dead-lettered with "queue full"; a sink that works
 * but lags is instead reported {@link #lagging} so that the loop pauses consumption.
 *
 * <p>An update this worker has delivered (one of the last 10 000) is settled without sending it
 * again. Time comes from {@code clock}, waits go through {@code scheduler} (whose single thread runs
 * every step), and jitter from {@code random}, so the rules can be checked on a clock advanced by
 * hand. {@link #submit} and {@link #lagging} are called from the delivery loop's thread.
 */
final class SinkWorker {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
    /** Updates a worker remembers having delivered, to drop repeats within this process. */
    private static final int RECENT = 10_000;

    /** One alert for this sink; {@code settled} runs once the sink is done with it. */
    record Task(Alert alert, Instant polled, Runnable settled) {
    }

    private final AlertSink sink;
    private final boolean configured;
    private final DeliveryConfig delivery;
    private final AlertsMetrics metrics;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final DeliveryScheduler scheduler;
    private final DoubleSupplier random;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final SinkCircuit circuit;
    private final Map<String, Boolean> recent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > RECENT;
        }
    };
    /** Scheduler thread: the alert being delivered or waiting for its next attempt. */
    private Task current;
    /** From an alert's first retryable failure until the sink answers again; read by the loop thread. */
    private volatile boolean failing;
    private volatile String lastError = "";
    private volatile boolean stopped;
    /** Loop thread only: a shed episode has been logged. */
    private boolean shedding;

    /**
     * @param configured false for a sink this process does not have (it fails permanently, so it
     *                   never opens, and has no gauge)
     * @param scheduler  owned: shut down by {@link #stop}
     * @param random     values in [0, 1) for the backoff's jitter
     */
    SinkWorker(AlertSink sink, boolean configured, DeliveryConfig delivery, AlertsMetrics metrics,
               DeadLetters deadLetters, Clock clock, DeliveryScheduler scheduler, DoubleSupplier random) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.configured = configured;
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.circuit = new SinkCircuit(delivery.maxBackoff());
        if (configured) {
            metrics.sinkUp(sink.name(), true);
        }
    }

    /** Stands in for a sink an alert names but this process has not configured: fails permanently. */
    static AlertSink missingSink(String name) {
        return new MissingSink(name);
    }

    /** Closes {@code sink}, logging (not throwing) a failure. */
    static void closeSink(AlertSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing sink {} failed: {}", sink.name(), e.toString());
        }
    }

    private record MissingSink(String name) implements AlertSink {
        @Override
        public void deliver(Alert alert) {
            throw new AlertDeliveryException("sink '" + name + "' is not configured in this process", false);
        }
    }

    String name() {
        return sink.name();
    }

    /**
     * Queues the alert, or dead-letters it ("queue full") when the sink is failing and already has
     * {@code maxQueued} alerts waiting.
     */
    void submit(Task t) {
        if (failing && queue.size() >= delivery.maxQueued()) {
            if (!shedding) {
                shedding = true;
                LOG.warn("Sink {} is failing with {} alerts waiting (maxQueued); new alerts for it go to {} "
                        + "until it takes alerts again", sink.name(), queue.size(), deadLetters.topic());
            }
            metrics.failed(sink.name(), since(t.polled()));
            deadLetter(t, new UndeliverableAlert(t.alert(), sink.name(), sink.name() + ": queue full, "
                    + delivery.maxQueued() + " alerts waiting on a failing sink (last error: " + lastError + ")", 0, null));
            return;
        }
        if (!failing) {
            shedding = false;
        }
        queue.add(t);
        scheduler.execute(this::next);
    }

    /** True when the sink works but has {@code maxQueued} alerts waiting: the loop should pause. */
    boolean lagging() {
        return !failing && queue.size() >= delivery.maxQueued();
    }

    /** Alerts waiting behind the current one. */
    int queued() {
        return queue.size();
    }

    /** Abandons the current and queued alerts (they stay unsettled) and stops the scheduler. */
    void stop() {
        stopped = true;
        scheduler.shutdown();
    }

    /** Waits up to 5 s for an attempt in progress to end after {@link #stop}. */
    void join() {
        scheduler.awaitTermination(Duration.ofSeconds(5));
    }

    /** Takes the next alert unless one is in hand; goes on until one waits for a retry or none is left. */
    private void next() {
        while (!stopped && current == null) {
            Task t = queue.poll();
            if (t == null) {
                return;
            }
            current = t;
            if (recent.containsKey(WebhookSink.updateKey(t.alert()))) {
                done(t);
                t.settled().run();
            } else if (!circuit.isOpen()) {
                attempt(t, clock.instant(), 1, new ArrayList<>());
            } else if (circuit.probe(clock.instant())) {
                probe(t);
            } else {
                done(t);
                skip(t);
            }
        }
    }

    private void done(Task t) {
        if (current == t) {
            current = null;
        }
    }

    /** One try, to the sink itself; null when it accepted. */
    private AlertDeliveryException tryOnce(Task t) {
        try {
            sink.deliver(t.alert());
            recent.put(WebhookSink.updateKey(t.alert()), Boolean.TRUE);
            return null;
        } catch (AlertDeliveryException e) {
            return e;
        } catch (RuntimeException e) {
            return new AlertDeliveryException(sink.name() + ": " + e, true, e);
        }
    }

    /** Attempt {@code attempt} of {@code t} while the sink is up; a retry is scheduled, not waited for. */
    private void attempt(Task t, Instant first, int attempt, List<Throwable> earlier) {
        if (stopped) {
            return;
        }
        AlertDeliveryException failure = tryOnce(t);
        if (failure == null) {
            failing = false;
            done(t);
            accepted(t);
            return;
        }
        if (!failure.retryable()) {
            failing = false;
            earlier.forEach(failure::addSuppressed);
            done(t);
            refused(t, failure, attempt);
            return;
        }
        failing = true;
        lastError = failure.getMessage();
        Optional<Duration> wait = delivery.nextWait(sink.name(), attempt, since(first),
                failure.retryAfter().orElse(null), random.getAsDouble());
        if (wait.isEmpty()) {
            earlier.forEach(failure::addSuppressed);
            done(t);
            down(t, failure, attempt);
            return;
        }
        earlier.add(failure);
        metrics.retried(sink.name());
        LOG.debug("Sink {} attempt {} for alert {} failed ({}); retrying in {} ms", sink.name(), attempt,
                t.alert().id(), failure.getMessage(), wait.get().toMillis());
        scheduler.schedule(() -> {
            attempt(t, first, attempt + 1, earlier);
            next();
        }, wait.get());
    }

    /** The sink is down and a probe is due: one try; an answer closes the circuit. */
    private void probe(Task t) {
        AlertDeliveryException failure = tryOnce(t);
        done(t);
        if (failure == null) {
            up(t);
            accepted(t);
        } else if (!failure.retryable()) {
            up(t);
            refused(t, failure, 1);
        } else {
            circuit.probeFailed(failure.getMessage());
            lastError = failure.getMessage();
            LOG.debug("Sink {} still down: probe with alert {} failed ({})", sink.name(), t.alert().id(),
                    failure.getMessage());
            circuit.deadLettered();
            metrics.failed(sink.name(), since(t.polled()));
            deadLetter(t, new UndeliverableAlert(t.alert(), sink.name(), failure.getMessage(), 1, clock.instant()));
        }
    }

    /** The sink is down and no probe is due: dead-letter without trying. */
    private void skip(Task t) {
        if (recent.containsKey(WebhookSink.updateKey(t.alert()))) {
            t.settled().run();
            return;
        }
        circuit.deadLettered();
        metrics.failed(sink.name(), since(t.polled()));
        deadLetter(t, new UndeliverableAlert(t.alert(), sink.name(), circuit.lastError() + " (sink down since "
                + circuit.openedAt() + ", not attempted)", 0, null));
    }

    private void accepted(Task t) {
        metrics.sent(sink.name(), since(t.polled()));
        t.settled().run();
    }

    /** A permanent failure: the sink answered, and will not take this alert. */
    private void refused(Task t, AlertDeliveryException failure, int attempts) {
        metrics.failed(sink.name(), since(t.polled()));
        LOG.warn("Alert {} ({}) refused by sink {} after {} attempt(s): {}", t.alert().id(), t.alert().detection(),
                sink.name(), attempts, failure.getMessage());
        deadLetter(t, new UndeliverableAlert(t.alert(), sink.name(), failure.getMessage(), attempts, clock.instant()));
    }

    /** {@code t} has failed for giveUpAfter: open the circuit, dead-letter it and the whole queue. */
    private void down(Task t, AlertDeliveryException failure, int attempts) {
        Instant now = clock.instant();
        circuit.open(now, failure.getMessage());
        if (configured) {
            metrics.sinkUp(sink.name(), false);
        }
        List<Task> queued = new ArrayList<>();
        queue.drainTo(queued);
        LOG.warn("Sink {} is down: alert {} failed for {} ({} attempts; last: {}). Dead-lettering it, the {} "
                + "alert(s) queued and new ones without trying; probing at most every {}", sink.name(),
                t.alert().id(), delivery.giveUpAfterFor(sink.name()), attempts, failure.getMessage(), queued.size(),
                delivery.maxBackoff());
        circuit.deadLettered();
        metrics.failed(sink.name(), Duration.between(t.polled(), now));
        deadLetter(t, new UndeliverableAlert(t.alert(), sink.name(), failure.getMessage(), attempts, now));
        queued.forEach(this::skip);
    }

    /** A probe got an answer: close the circuit. */
    private void up(Task t) {
        long deadLettered = circuit.deadLetteredWhileOpen();
        Duration down = circuit.close(clock.instant());
        failing = false;
        if (configured) {
            metrics.sinkUp(sink.name(), true);
        }
        LOG.info("Sink {} is up again after {} down (probe with alert {}); {} alert(s) were dead-lettered "
                + "meanwhile", sink.name(), down, t.alert().id(), deadLettered);
    }

    private void deadLetter(Task t, UndeliverableAlert dead) {
        deadLetters.publish(dead, t.settled());
    }

    private Duration since(Instant polled) {
        return Duration.between(polled, clock.instant());
    }
}
