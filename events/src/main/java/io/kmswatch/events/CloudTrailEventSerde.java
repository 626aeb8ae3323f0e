package io.kmswatch.events;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for {@code kms-events} values: the record's original bytes, unchanged, on the way out; a
 * parsed {@link CloudTrailEvent} on the way in. A value that is not a record raises a
 * {@link SerializationException} whose message is the reason (Streams' deserialization handler
 * sends it to {@code kms-events-rejected}).
 */
public final class CloudTrailEventSerde implements Serde<CloudTrailEvent> {
    @Override
    public Serializer<CloudTrailEvent> serializer() {
        return (topic, event) -> event == null ? null : event.unsafeRawBytes();
    }

    @Override
    public Deserializer<CloudTrailEvent> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return CloudTrailEvent.parse(data);
            } catch (MalformedEventException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
    }
}
