package io.kmswatch.ingest;

/**
 * One running source: runs on its own thread until it is done (a one-pass read) or stopped.
 * {@link #stop()} may be called from any thread; the source then finishes the record in hand,
 * waits for Kafka's acknowledgements, saves its checkpoint and returns from {@link #run()}.
 */
public interface IngestSource {
    /** A stable id, also the prefix of its checkpoint keys (for example {@code files}, {@code s3}). */
    String id();

    /**
     * Runs until done or stopped.
     *
     * @return what this run did
     * @throws IngestException when a send to Kafka failed after retries (never for bad input)
     */
    IngestSummary run();

    /** Asks the source to stop soon; idempotent. */
    void stop();
}
