package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import io.kmswatch.events.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The alert manager's and delivery loop's meters. Components record into it from any thread; the
 * meters appear in every registry it is {@linkplain #bindTo bound to} (an internal composite
 * registry forwards them, so binding may happen before or after components start). Tags are
 * bounded: sink names come from config, detections and severities from fixed sets; never alert ids
 * or keys.
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>tags</th><th>what</th></tr>
 *   <tr><td>kmswatch.alerts.sent</td><td>sink, outcome=success|failure</td><td>alerts a sink accepted, or gave up on</td></tr>
 *   <tr><td>kmswatch.alerts.retried</td><td>sink</td><td>delivery attempts that failed and were retried</td></tr>
 *   <tr><td>kmswatch.alerts.undeliverable</td><td>sink</td><td>alerts written to the dead-letter topic</td></tr>
 *   <tr><td>kmswatch.alerts.delivery.latency</td><td>sink</td><td>poll to settled on the sink, retries included</td></tr>
 *   <tr><td>kmswatch.alerts.sink.up</td><td>sink</td><td>1 while the sink takes alerts, 0 while it is down (gauge)</td></tr>
 *   <tr><td>kmswatch.alerts.open</td><td>severity</td><td>firing alerts not yet resolved nor past their window</td></tr>
 *   <tr><td>kmswatch.alerts.silenced</td><td>detection</td><td>alerts a silence kept from every sink</td></tr>
 *   <tr><td>kmswatch.alerts.suppressed</td><td>detection</td><td>firings folded into an open alert</td></tr>
 *   <tr><td>kmswatch.alerts.emitted</td><td>detection, status</td><td>alert updates written to kms-alerts</td></tr>
 *   <tr><td>kmswatch.alerts.skipped</td><td>reason</td><td>unreadable records skipped</td></tr>
 * </table>
 */
public final class AlertsMetrics implements MeterBinder {
    public static final String SENT = "kmswatch.alerts.sent";
    public static final String RETRIED = "kmswatch.alerts.retried";
    public static final String UNDELIVERABLE = "kmswatch.alerts.undeliverable";
    public static final String DELIVERY_LATENCY = "kmswatch.alerts.delivery.latency";
    public static final String SINK_UP = "kmswatch.alerts.sink.up";
    public static final String OPEN = "kmswatch.alerts.open";
    public static final String SILENCED = "kmswatch.alerts.silenced";
    public static final String SUPPRESSED = "kmswatch.alerts.suppressed";
    public static final String EMITTED = "kmswatch.alerts.emitted";
    public static final String SKIPPED = "kmswatch.alerts.skipped";
    /** Every meter name this binder registers (the single source for dashboards and rules checks). */
    public static final List<String> NAMES = List.of(SENT, RETRIED, UNDELIVERABLE, DELIVERY_LATENCY, SINK_UP, OPEN,
            SILENCED, SUPPRESSED, EMITTED, SKIPPED);

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Map<String, OpenAlert> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sinkUp = new ConcurrentHashMap<>();
    private final Clock clock;

    public AlertsMetrics() {
        this(Clock.systemUTC());
    }

    AlertsMetrics(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // Gauges go straight to the registry: they hold no history that a late binding could lose.
        for (Severity s : Severity.values()) {
            Gauge.builder(OPEN, this, m -> m.openCount(s))
                    .description("Firing alerts delivered and not yet resolved nor past their suppression window")
                    .tag("severity", s.label())
                    .strongReference(true)
                    .register(registry);
        }
        meters.add(registry);
    }

    /**
     * Creates the per-sink meters at zero for these sinks, so their series exist before the first
     * alert (a rate over a missing series is no data, not zero).
     */
    public void registerSinks(Collection<String> sinks) {
        for (String sink : sinks) {
            sentCounter(sink, "success");
            sentCounter(sink, "failure");
            retriedCounter(sink);
            undeliverableCounter(sink);
            latency(sink);
            sinkUpGauge(sink);
        }
    }

    /**
     * A sink's state: up (taking alerts) or down (its circuit is open: alerts are dead-lettered
     * without an attempt until a probe gets through).
     */
    public void sinkUp(String sink, boolean up) {
        sinkUpGauge(sink).set(up ? 1 : 0);
    }

    /** A sink accepted an alert after {@code latency} (retries included). */
    public void sent(String sink, Duration latency) {
        sentCounter(sink, "success").increment();
        latency(sink).record(latency);
    }

    /** A sink gave up on an alert after {@code latency}. */
    public void failed(String sink, Duration latency) {
        sentCounter(sink, "failure").increment();
        latency(sink).record(latency);
    }

    /** An attempt failed and will be retried. */
    public void retried(String sink) {
        retriedCounter(sink).increment();
    }

    /** An alert was written to the dead-letter topic for a sink. */
    public void undeliverable(String sink) {
        undeliverableCounter(sink).increment();
    }

    /** A silence kept an alert from every sink. */
    public void silenced(String detection) {
        counter(SILENCED, "Alerts a silence kept from every sink", "detection", detection).increment();
    }

    /** A firing was folded into an open alert without a notification. */
    public void suppressed(String detection) {
        counter(SUPPRESSED, "Detection firings folded into an open alert within its suppression window",
                "detection", detection).increment();
    }

    /** An alert update was written to kms-alerts. */
    public void emitted(Alert alert) {
        counter(EMITTED, "Alert updates (new, escalated, resolved) written to kms-alerts",
                "detection", alert.detection(), "status", alert.status().label()).increment();
    }

    /** An unreadable record was skipped (it stays on its topic; the log names its offset). */
    public void skipped(String reason) {
        counter(SKIPPED, "Unreadable records skipped by the alert manager or delivery loop",
                "reason", reason).increment();
    }

    /**
     * Tracks the open-alert gauge: a firing alert counts until it is resolved or {@code window}
     * after it was last seen here.
     */
    public void track(Alert alert, Duration window) {
        if (alert.firing() && alert.sinks().isEmpty() && alert.attributes().containsKey(AlertRouter.SILENCED_BY)) {
            return;
        }
        if (alert.firing()) {
            open.put(alert.id(), new OpenAlert(alert.severity(), clock.instant().plus(window)));
        } else {
            open.remove(alert.id());
        }
    }

    private long openCount(Severity s) {
        Instant now = clock.instant();
        open.values().removeIf(o -> o.until.isBefore(now));
        return open.values().stream().filter(o -> o.severity == s).count();
    }

    private Counter sentCounter(String sink, String outcome) {
        return counter(SENT, "Alerts a sink accepted (success) or gave up on (failure)", "sink", sink, "outcome", outcome);
    }

    private Counter retriedCounter(String sink) {
        return counter(RETRIED, "Delivery attempts that failed and were retried", "sink", sink);
    }

    private Counter undeliverableCounter(String sink) {
        return counter(UNDELIVERABLE, "Alerts written to the dead-letter topic after the last attempt", "sink", sink);
    }

    private AtomicInteger sinkUpGauge(String sink) {
        return sinkUp.computeIfAbsent(sink, s -> {
            AtomicInteger state = new AtomicInteger(1);
            Gauge.builder(SINK_UP, state, AtomicInteger::get)
                    .description("1 while the sink takes alerts, 0 while it is down (alerts dead-lettered without "
                            + "an attempt until a probe gets through)")
                    .tag("sink", s)
                    .strongReference(true)
                    .register(meters);
            return state;
        });
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(meters);
    }

    private Timer latency(String sink) {
        return Timer.builder(DELIVERY_LATENCY)
                .description("Time from polling an alert to its settling on a sink (accepted or given up), retries included")
                .tag("sink", sink)
                .register(meters);
    }

    private record OpenAlert(Severity severity, Instant until) {
    }
}
