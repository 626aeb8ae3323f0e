package io.kmswatch.ingest.internal;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.ingest.EventPublisher;

/**
 * The codec sink of one file or object: sends what the codec reads through the publisher and counts
 * the acknowledgements on the unit's {@link AckCounter}.
 */
public final class PublishingSink implements CloudTrailCodec.Sink {
    private final EventPublisher publisher;
    private final AckCounter counter;
    private long records;
    private long rejected;

    public PublishingSink(EventPublisher publisher, AckCounter counter) {
        this.publisher = publisher;
        this.counter = counter;
    }

    @Override
    public void record(CloudTrailEvent event, String location) {
        records++;
        counter.sending();
        if (!publisher.publish(event, location, counter::acked)) {
            counter.acked();
        }
    }

    @Override
    public void rejected(Rejected r) {
        rejected++;
        counter.sending();
        publisher.reject(r, counter::acked);
    }

    public long records() {
        return records;
    }

    public long rejected() {
        return rejected;
    }
}
