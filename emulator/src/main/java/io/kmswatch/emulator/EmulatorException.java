package io.kmswatch.emulator;

/**
 * Root of the emulator's own failures that are not AWS errors sent to a client: a data directory that cannot
 * be written, a port that cannot be bound, an invalid configuration. AWS errors are
 * {@link io.kmswatch.emulator.api.KmsServiceException}.
 */
public class EmulatorException extends RuntimeException {
    public EmulatorException(String message) {
        super(message);
    }

    public EmulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
