package io.kmswatch.streams.inventory;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Gives every {@code kms-key-inventory} record the timestamp 0, so that a snapshot — taken at wall-clock
 * time, minutes ahead of the CloudTrail records still being delivered — never moves the detection task's
 * stream time (which would close the windows those late records belong to) and is taken before the
 * events waiting beside it. The snapshot time itself travels in the value.
 */
public final class SnapshotTimestamp implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return 0L;
    }
}
