package io.kmswatch.events;

/**
 * Raised when bytes cannot be read as a CloudTrail record: not JSON, not an object, a required field
 * missing or of the wrong type. The message is a human-readable reason, fit for the {@code reason}
 * header of {@code kms-events-rejected}.
 */
public class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
