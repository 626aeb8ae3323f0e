package io.kmswatch.alerts.sink;

import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;

/**
 * One alert destination. The delivery loop calls {@link #deliver} from a single thread per sink,
 * in the order alerts arrive, and retries on retryable failures; a sink makes one attempt per call,
 * bounded by its timeout, and sends the alert id as idempotency key in whatever way its receiver
 * understands. Implementations never log their URL or credentials (they may hold secrets).
 */
public interface AlertSink extends AutoCloseable {
    /** The configured name, used in metrics and the dead-letter record. */
    String name();

    /**
     * One delivery attempt; returns when the receiver accepted the alert.
     *
     * @throws AlertDeliveryException when it did not; {@link AlertDeliveryException#retryable()}
     *                                says whether to try again
     */
    void deliver(Alert alert);

    /** Releases connections, files and threads; never throws. */
    @Override
    default void close() {
    }
}
