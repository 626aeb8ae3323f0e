package io.kmswatch.alerts;

import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.events.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sink for unit tests whose answer the test switches, on {@link ManualTime}: it accepts, is down
 * (connection refused), unavailable (503), asks to wait ({@code Retry-After}), refuses (400), or
 * throws something unexpected. Each attempt may take time on the manual clock. Every attempt is
 * recorded with its time, update and outcome.
 */
final class ScriptedSink implements AlertSink {
    enum Mode { UP, DOWN, UNAVAILABLE, RETRY_AFTER, REFUSE, BROKEN }

    /** One call of {@link #deliver}. */
    record Attempt(Instant at, String alertId, String update, boolean accepted, String error) {
    }

    private final String name;
    private final ManualTime time;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<String, Mode> byAlert = new HashMap<>();
    private Mode mode = Mode.UP;
    private Duration retryAfter = Duration.ZERO;
    private Duration takes = Duration.ZERO;

    ScriptedSink(String name, ManualTime time) {
        this.name = name;
        this.time = time;
    }

    ScriptedSink mode(Mode m) {
        this.mode = Objects.requireNonNull(m);
        return this;
    }

    /** Answers attempts for this alert id with {@code m}, whatever the mode. */
    ScriptedSink modeFor(String alertId, Mode m) {
        byAlert.put(alertId, m);
        return this;
    }

    /** 429 with this {@code Retry-After}. */
    ScriptedSink retryAfter(Duration d) {
        this.mode = Mode.RETRY_AFTER;
        this.retryAfter = d;
        return this;
    }

    /** Each attempt takes this long on the manual clock (before it answers). */
    ScriptedSink takes(Duration d) {
        this.takes = d;
        return this;
    }

    String refusedError() {
        return name + ": ConnectException connection refused or host unreachable";
    }

    String unavailableError() {
        return name + ": HTTP 503 service unavailable";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) {
        Instant at = time.now();
        time.elapse(takes);
        RuntimeException failure = switch (byAlert.getOrDefault(alert.id(), mode)) {
            case UP -> null;
            case DOWN -> new AlertDeliveryException(refusedError(), true);
            case UNAVAILABLE -> new AlertDeliveryException(unavailableError(), true);
            case RETRY_AFTER -> new AlertDeliveryException(name + ": HTTP 429 slow down", true, retryAfter, null);
            case REFUSE -> new AlertDeliveryException(name + ": HTTP 400 invalid_payload (permanent)", false);
            case BROKEN -> new IllegalStateException("boom");
        };
        attempts.add(new Attempt(at, alert.id(), WebhookSink.updateKey(alert), failure == null,
                failure == null ? null : failure.getMessage()));
        if (failure != null) {
            throw failure;
        }
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    List<Attempt> accepted() {
        return attempts.stream().filter(Attempt::accepted).toList();
    }

    List<Instant> attemptTimes() {
        return attempts.stream().map(Attempt::at).toList();
    }
}
