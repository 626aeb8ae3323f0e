package io.kmswatch.ingest;

/**
 * The one root of the ingest module's errors: a source that cannot go on (a send to Kafka failed
 * after the producer's retries, the checkpoint topic is unreadable, the configuration is invalid).
 * Bad input never raises it: unreadable records go to {@code kms-events-rejected} instead.
 */
public class IngestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
