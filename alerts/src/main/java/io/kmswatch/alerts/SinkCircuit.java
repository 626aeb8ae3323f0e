package io.kmswatch.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The circuit of one sink. Closed while the sink takes alerts; opened when an alert has failed on
 * it for {@code giveUpAfter}. While open the sink is down: alerts for it are dead-lettered without
 * an attempt, except that one of them at most every {@code probeInterval} is tried once as a probe;
 * the first probe the sink answers closes the circuit. Time is passed in, so the rules can be
 * checked without waiting. Used by one sink worker thread only.
 */
final class SinkCircuit {
    private final Duration probeInterval;
    private Instant openedAt;
    private Instant nextProbe;
    private String lastError;
    private long deadLettered;

    /**
     * @param probeInterval the shortest time between two probes (the delivery's {@code maxBackoff})
     */
    SinkCircuit(Duration probeInterval) {
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
    }

    boolean isOpen() {
        return openedAt != null;
    }

    /** Opens at {@code now} because of {@code error}; the first probe is due one interval later. */
    void open(Instant now, String error) {
        openedAt = now;
        nextProbe = now.plus(probeInterval);
        lastError = Objects.requireNonNull(error, "error");
        deadLettered = 0;
    }

    /**
     * True when an alert arriving at {@code now} is to be tried as a probe; the next probe is then
     * due one interval later, whatever this one's outcome.
     *
     * @throws IllegalStateException when the circuit is closed
     */
    boolean probe(Instant now) {
        requireOpen();
        if (now.isBefore(nextProbe)) {
            return false;
        }
        nextProbe = now.plus(probeInterval);
        return true;
    }

    /** A probe failed retryably: the circuit stays open, with this as its error. */
    void probeFailed(String error) {
        requireOpen();
        lastError = Objects.requireNonNull(error, "error");
    }

    /** One more alert went to the dead-letter topic while open. */
    void deadLettered() {
        deadLettered++;
    }

    /** Alerts dead-lettered since the circuit opened. */
    long deadLetteredWhileOpen() {
        return deadLettered;
    }

    /** The error that opened the circuit, or of the last failed probe; null when closed. */
    String lastError() {
        return lastError;
    }

    /** When the circuit opened; null when closed. */
    Instant openedAt() {
        return openedAt;
    }

    /**
     * Closes at {@code now}.
     *
     * @return how long it was open
     * @throws IllegalStateException when already closed
     */
    Duration close(Instant now) {
        requireOpen();
        Duration open = Duration.between(openedAt, now);
        openedAt = null;
        nextProbe = null;
        lastError = null;
        return open;
    }

    private void requireOpen() {
        if (openedAt == null) {
            throw new IllegalStateException("circuit is closed");
        }
    }
}
