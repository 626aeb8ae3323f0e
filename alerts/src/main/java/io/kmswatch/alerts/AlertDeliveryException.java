package io.kmswatch.alerts;

import java.time.Duration;
import java.util.Optional;

/**
 * The alerts module's one unchecked exception: a sink could not take an alert, or the delivery
 * loop could not run. {@link #retryable()} tells the delivery loop whether another attempt may
 * succeed (timeouts, 408, 429, 5xx) or not (other 4xx, a payload the receiver refuses); a sink may
 * carry the receiver's {@code Retry-After}. Causes of earlier attempts are kept as suppressed
 * exceptions, as the AWS Encryption SDK does.
 */
public class AlertDeliveryException extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;

    public AlertDeliveryException(String message, boolean retryable) {
        this(message, retryable, null, null);
    }

    public AlertDeliveryException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, null, cause);
    }

    /**
     * @param retryAfter how long the receiver asked us to wait before trying again, or null
     */
    public AlertDeliveryException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** True when another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The wait the receiver asked for ({@code Retry-After}), if it named one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
