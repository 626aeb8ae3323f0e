package io.kmswatch.bench;

/** A benchmark could not run or did not finish (the broker, a child process or a tool failed). */
public final class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
