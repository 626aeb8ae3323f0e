package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.ControlRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the detections: the record's {@code eventTime}. Ingest already sets the record
 * timestamp to it; reading it from the value as well means a producer that forgot to (or a topic with
 * {@code LogAppendTime}) cannot turn the detections into wall-clock processing. A settle tick
 * ({@link ControlRecords}, known by its header) moves stream time to its record timestamp; any other
 * record without an event moves nothing.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof CloudTrailEvent e) {
            return e.eventTime().toEpochMilli();
        }
        if (ControlRecords.isSettleTick(record.headers()) && record.timestamp() >= 0) {
            return record.timestamp();
        }
        // not an event and not a tick (the topology counts it and drops it): it must move no stream time
        return Math.max(partitionTime, 0);
    }
}
