package io.kmswatch.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert a sink could not take after every retry, as written to {@code kms-alerts-undeliverable}.
 *
 * @param alert       the alert; never null
 * @param sink        the sink's name; never null
 * @param error       the last error, human-readable; never null
 * @param attempts    how many deliveries were tried
 * @param lastAttempt when the last one was tried (wall clock: this is about delivery, not events)
 */
public record UndeliverableAlert(Alert alert, String sink, String error, int attempts, Instant lastAttempt) {
    public UndeliverableAlert {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(error, "error");
    }
}
