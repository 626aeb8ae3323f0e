package io.kmswatch.broker;

/**
 * The one unchecked exception this module throws: a broker could not be formatted, started,
 * reached or stopped, or an embedded broker asked to terminate the JVM.
 *
 * <p>The message always names the broker (bootstrap address or data directory) so a failure in a
 * test log can be traced to the broker that caused it.
 */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and no cause.
     *
     * @param message what failed, naming the broker
     */
    public BrokerException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the exception that caused it.
     *
     * @param message what failed, naming the broker
     * @param cause   the underlying failure, may be {@code null}
     */
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
