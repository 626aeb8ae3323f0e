package io.kmswatch.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the delivery loop retries and when it gives up on a sink ({@code alerts.delivery}).
 *
 * <p>An alert that fails retryably on a sink is tried again until it has been failing for
 * {@code giveUpAfter}, counted from its first attempt. Failed attempt {@code n} (1-based) waits
 * {@code min(maxBackoff, initialBackoff × multiplier^(n-1))}, reduced by up to {@code jitter} of
 * itself at random (so a fleet of sinks does not retry in lockstep); a receiver's
 * {@code Retry-After} replaces that wait exactly (capped at {@code maxRetryAfter}). The last wait
 * is cut so that the last attempt falls on the deadline. When that fails too, the sink is taken as
 * down (see {@code SinkWorker}).
 *
 * <p>{@code maxAttempts} and {@code maxInFlight} were settings of an earlier delivery loop; a
 * configuration that still sets them is rejected with a message naming what replaced them.
 *
 * @param giveUpAfter       how long one alert may fail on a sink before the sink is down, default 10 min
 * @param giveUpAfterBySink {@code giveUpAfter} for particular sinks, by sink name; never null
 * @param initialBackoff    default 500 ms
 * @param maxBackoff        the longest wait between attempts, and the shortest between probes of a
 *                          down sink; default 30 s
 * @param multiplier        ≥ 1, default 2
 * @param jitter            0–1, default 0.5
 * @param attemptTimeout    one attempt's bound (HTTP request timeout), default 10 s
 * @param maxRetryAfter     longest {@code Retry-After} honoured as given, default 5 min
 * @param maxQueued         alerts waiting for one sink; beyond it a failing sink dead-letters new
 *                          alerts ("queue full") and a sink that works but lags pauses consumption;
 *                          default 1000
 * @param closeTimeout      how long {@code close()} waits for in-flight deliveries, default 30 s
 */
public record DeliveryConfig(Duration giveUpAfter, Map<String, Duration> giveUpAfterBySink, Duration initialBackoff,
                             Duration maxBackoff, Double multiplier, Double jitter, Duration attemptTimeout,
                             Duration maxRetryAfter, Integer maxQueued, Duration closeTimeout) {
    public DeliveryConfig {
        giveUpAfter = Objects.requireNonNullElse(giveUpAfter, Duration.ofMinutes(10));
        giveUpAfterBySink = giveUpAfterBySink == null ? Map.of() : Map.copyOf(giveUpAfterBySink);
        initialBackoff = Objects.requireNonNullElse(initialBackoff, Duration.ofMillis(500));
        maxBackoff = Objects.requireNonNullElse(maxBackoff, Duration.ofSeconds(30));
        multiplier = Objects.requireNonNullElse(multiplier, 2.0);
        jitter = Objects.requireNonNullElse(jitter, 0.5);
        attemptTimeout = Objects.requireNonNullElse(attemptTimeout, Duration.ofSeconds(10));
        maxRetryAfter = Objects.requireNonNullElse(maxRetryAfter, Duration.ofMinutes(5));
        maxQueued = Objects.requireNonNullElse(maxQueued, 1000);
        closeTimeout = Objects.requireNonNullElse(closeTimeout, Duration.ofSeconds(30));
        if (multiplier < 1) {
            throw new IllegalArgumentException("delivery.multiplier must be ≥ 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("delivery.jitter must be between 0 and 1");
        }
        if (maxQueued < 1) {
            throw new IllegalArgumentException("delivery.maxQueued must be ≥ 1");
        }
        requirePositive("giveUpAfter", giveUpAfter);
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("attemptTimeout", attemptTimeout);
        requirePositive("maxRetryAfter", maxRetryAfter);
        giveUpAfterBySink.forEach((sink, d) -> requirePositive("giveUpAfterBySink." + sink, d));
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("delivery.closeTimeout must not be negative");
        }
    }

    /**
     * Binds {@code alerts.delivery}, rejecting the settings of the earlier delivery loop with what to
     * use instead (an unknown key would only say it is unknown).
     */
    @JsonCreator
    static DeliveryConfig bind(@JsonProperty("giveUpAfter") Duration giveUpAfter,
                               @JsonProperty("giveUpAfterBySink") Map<String, Duration> giveUpAfterBySink,
                               @JsonProperty("initialBackoff") Duration initialBackoff,
                               @JsonProperty("maxBackoff") Duration maxBackoff,
                               @JsonProperty("multiplier") Double multiplier,
                               @JsonProperty("jitter") Double jitter,
                               @JsonProperty("attemptTimeout") Duration attemptTimeout,
                               @JsonProperty("maxRetryAfter") Duration maxRetryAfter,
                               @JsonProperty("maxQueued") Integer maxQueued,
                               @JsonProperty("closeTimeout") Duration closeTimeout,
                               @JsonProperty("maxAttempts") Integer maxAttempts,
                               @JsonProperty("maxInFlight") Integer maxInFlight) {
        if (maxAttempts != null) {
            throw new IllegalArgumentException("delivery.maxAttempts is no longer supported: an alert is retried "
                    + "for a time, not a number of attempts; set delivery.giveUpAfter instead (default 10m: how "
                    + "long one alert may fail on a sink before the sink is taken as down)");
        }
        if (maxInFlight != null) {
            throw new IllegalArgumentException("delivery.maxInFlight is no longer supported: alerts are bounded per "
                    + "sink; set delivery.maxQueued instead (default 1000 alerts waiting for one sink)");
        }
        return new DeliveryConfig(giveUpAfter, giveUpAfterBySink, initialBackoff, maxBackoff, multiplier, jitter,
                attemptTimeout, maxRetryAfter, maxQueued, closeTimeout);
    }

    /** The defaults listed above. */
    public static DeliveryConfig defaultConfig() {
        return new DeliveryConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** How long one alert may fail on {@code sink} before the sink is down. */
    public Duration giveUpAfterFor(String sink) {
        return giveUpAfterBySink.getOrDefault(sink, giveUpAfter);
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

    /**
     * When to try an alert again on {@code sink} after {@code failed} attempts that failed
     * retryably, the first of them {@code failingFor} ago: {@code retryAfter} (the receiver's
     * {@code Retry-After}, or null) capped at {@code maxRetryAfter}, else {@link #backoff}; in
     * either case no later than {@link #giveUpAfterFor giveUpAfter} from the first attempt. Empty
     * once the alert has been failing for {@code giveUpAfter}: give up.
     *
     * @param random a value in [0, 1)
     */
    public Optional<Duration> nextWait(String sink, int failed, Duration failingFor, Duration retryAfter,
                                       double random) {
        Duration left = giveUpAfterFor(sink).minus(failingFor);
        if (left.isNegative() || left.isZero()) {
            return Optional.empty();
        }
        Duration wait = retryAfter == null ? backoff(failed, random)
                : retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        return Optional.of(wait.compareTo(left) > 0 ? left : wait);
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("delivery." + what + " must be a positive duration");
        }
    }
}
