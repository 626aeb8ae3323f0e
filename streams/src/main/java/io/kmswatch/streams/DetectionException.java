package io.kmswatch.streams;

/**
 * The root of every exception the streams module throws: bad detection configuration, a topology
 * that cannot be built, an application that cannot start. Unchecked, as everywhere in kmswatch.
 */
public class DetectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DetectionException(String message) {
        super(message);
    }

    public DetectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
