package io.kmswatch.dashboards;

/** The dashboards module's one unchecked exception: a bundled file is missing or cannot be written. */
public class DashboardsException extends RuntimeException {
    public DashboardsException(String message) {
        super(message);
    }

    public DashboardsException(String message, Throwable cause) {
        super(message, cause);
    }
}
