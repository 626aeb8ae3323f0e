package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the detections: the record's {@code eventTime}. Ingest already sets the record
 * timestamp to it; reading it from the value as well means a producer that forgot to (or a topic with
 * {@code LogAppendTime}) cannot turn the detections into wall-clock processing.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof CloudTrailEvent e) {
            return e.eventTime().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
