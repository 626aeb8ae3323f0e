package io.kmswatch.ingest.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells when one unit of input (a file, an S3 object) is completely stored: every record sent for it
 * acknowledged by Kafka, and the reading finished. Starts with one "reading" token; each send adds
 * one, each acknowledgement and {@link #readFinished()} take one; whoever takes the last runs
 * {@code onDone}, exactly once. Thread-safe (acknowledgements arrive on the producer's I/O thread).
 */
public final class AckCounter {
    private final AtomicLong pending = new AtomicLong(1);
    private final Runnable onDone;

    public AckCounter(Runnable onDone) {
        this.onDone = onDone;
    }

    /** Before a send whose acknowledgement will call {@link #acked()}. */
    public void sending() {
        pending.incrementAndGet();
    }

    /** A send was acknowledged (or turned out not to need one). */
    public void acked() {
        if (pending.decrementAndGet() == 0) {
            onDone.run();
        }
    }

    /** The whole unit has been read and every send issued. */
    public void readFinished() {
        acked();
    }

    /** Sends issued and not yet acknowledged (plus one while reading). */
    public long pending() {
        return pending.get();
    }
}
