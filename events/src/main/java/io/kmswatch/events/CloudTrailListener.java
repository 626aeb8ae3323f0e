package io.kmswatch.events;

/**
 * Receives CloudTrail records as a producer writes them. The emulator publishes every audit record to
 * its listeners; the ingest emulator feed subscribes one that produces to {@code kms-events}; the
 * {@code app} module connects the two. Implementations must be thread-safe and must not block for long.
 */
@FunctionalInterface
public interface CloudTrailListener {
    /** Called once per record, in the order the producer wrote them. */
    void onRecord(CloudTrailEvent event);
}
