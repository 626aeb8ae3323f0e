package io.kmswatch.alerts;

import java.time.Duration;
import java.util.Objects;

/**
 * How the delivery loop retries ({@code alerts.delivery}). Attempt {@code n} (1-based) that fails
 * retryably waits {@code min(maxBackoff, initialBackoff × multiplier^(n-1))}, reduced by up to
 * {@code jitter} of itself at random (so a fleet of sinks does not retry in lockstep); a receiver's
 * {@code Retry-After} replaces that wait exactly (capped at {@code maxRetryAfter}). After
 * {@code maxAttempts} the alert goes to {@code kms-alerts-undeliverable}.
 *
 * @param maxAttempts    attempts per alert and sink, ≥ 1 (default 5)
 * @param initialBackoff default 500 ms
 * @param maxBackoff     default 30 s
 * @param multiplier     ≥ 1, default 2
 * @param jitter         0–1, default 0.5
 * @param attemptTimeout one attempt's bound (HTTP request timeout), default 10 s
 * @param maxRetryAfter  longest {@code Retry-After} honoured as given, default 5 min
 * @param maxInFlight    alerts polled but not yet settled on every sink before the loop pauses
 *                       consuming, default 1000
 * @param closeTimeout   how long {@code close()} waits for in-flight deliveries, default 30 s
 */
public record DeliveryConfig(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff, Double multiplier,
                             Double jitter, Duration attemptTimeout, Duration maxRetryAfter, Integer maxInFlight,
                             Duration closeTimeout) {
    public DeliveryConfig {
        maxAttempts = Objects.requireNonNullElse(maxAttempts, 5);
        initialBackoff = Objects.requireNonNullElse(initialBackoff, Duration.ofMillis(500));
        maxBackoff = Objects.requireNonNullElse(maxBackoff, Duration.ofSeconds(30));
        multiplier = Objects.requireNonNullElse(multiplier, 2.0);
        jitter = Objects.requireNonNullElse(jitter, 0.5);
        attemptTimeout = Objects.requireNonNullElse(attemptTimeout, Duration.ofSeconds(10));
        maxRetryAfter = Objects.requireNonNullElse(maxRetryAfter, Duration.ofMinutes(5));
        maxInFlight = Objects.requireNonNullElse(maxInFlight, 1000);
        closeTimeout = Objects.requireNonNullElse(closeTimeout, Duration.ofSeconds(30));
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("delivery.maxAttempts must be ≥ 1");
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("delivery.multiplier must be ≥ 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("delivery.jitter must be between 0 and 1");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("delivery.maxInFlight must be ≥ 1");
        }
        for (Duration d : new Duration[] {initialBackoff, maxBackoff, attemptTimeout, maxRetryAfter}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("delivery durations must be positive");
            }
        }
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("delivery.closeTimeout must not be negative");
        }
    }

    /** The defaults listed above. */
    public static DeliveryConfig defaultConfig() {
        return new DeliveryConfig(null, null, null, null, null, null, null, null, null);
    }

    /**
     * The wait after failed attempt {@code attempt} (1-based) without {@code Retry-After}.
     *
     * @param random a value in [0, 1)
     */
    public Duration backoff(int attempt, double random) {
        double base = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, maxBackoff.toMillis());
        return Duration.ofMillis(Math.round(capped * (1 - jitter * random)));
    }
}
