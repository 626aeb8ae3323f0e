package io.kmswatch.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert a sink did not take, as written to {@code kms-alerts-undeliverable}: refused, failing
 * for the delivery's give-up time, or not tried because the sink was down or its queue full.
 *
 * @param alert       the alert; never null
 * @param sink        the sink's name; never null
 * @param error       the last error, human-readable; never null
 * @param attempts    how many deliveries were tried; 0 when none was
 * @param lastAttempt when the last one was tried (wall clock: this is about delivery, not events);
 *                    null when none was
 */
public record UndeliverableAlert(Alert alert, String sink, String error, int attempts, Instant lastAttempt) {
    public UndeliverableAlert {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(error, "error");
    }
}
