package io.kmswatch.ingest.feed;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailListener;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestException;

/**
 * The emulator feed: a {@link CloudTrailListener} that sends every audit record the in-process KMS
 * emulator writes to {@code kms-events} (header {@code source=emulator}), for the embedded demo.
 * The {@code app} module subscribes it to the emulator. There is no checkpoint: the records arrive
 * live, in process. Thread-safe; {@link #onRecord} only hands the record to the producer.
 */
public final class EmulatorFeed implements CloudTrailListener, AutoCloseable {
    /** Source id and {@code source} header value. */
    public static final String ID = "emulator";

    private final EventPublisher publisher;

    public EmulatorFeed(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * @throws IngestException once a send to Kafka failed after retries: the feed is stopped, and
     *                         says so instead of dropping records silently
     */
    @Override
    public void onRecord(CloudTrailEvent event) {
        publisher.publish(event, "emulator:" + event.eventId(), null);
    }

    /** Waits until every record so far is acknowledged. */
    public void flush() {
        publisher.flush();
    }

    public EventPublisher publisher() {
        return publisher;
    }

    /** Flushes and closes the producer. */
    @Override
    public void close() {
        try {
            publisher.flush();
        } finally {
            publisher.close();
        }
    }
}
