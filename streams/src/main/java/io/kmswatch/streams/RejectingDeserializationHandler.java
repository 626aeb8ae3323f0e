package io.kmswatch.streams;

import io.kmswatch.events.Rejected;
import io.kmswatch.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the topology running past values it cannot read: counts them
 * ({@code kmswatch.streams.records.skipped{reason}}) and hands the bad bytes to Streams as a
 * dead-letter record for {@code kms-events-rejected}, keyed by {@code <topic>-<partition>@<offset>},
 * with a {@code reason} header. Streams produces it with its own producer, so under exactly-once the
 * rejection commits atomically with the offsets.
 *
 * <p>Configured through the Streams properties {@link #METRICS_CONFIG} (a {@link StreamsMetrics}
 * instance) and {@link #REJECTED_TOPIC_CONFIG}.
 */
public final class RejectingDeserializationHandler implements DeserializationExceptionHandler {
    public static final String METRICS_CONFIG = "kmswatch.streams.metrics";
    public static final String REJECTED_TOPIC_CONFIG = "kmswatch.streams.rejected.topic";
    private static final Logger LOG = LoggerFactory.getLogger(RejectingDeserializationHandler.class);

    private StreamsMetrics metrics = new StreamsMetrics();
    private String rejectedTopic = Topics.DEFAULT.kmsEventsRejected().name();

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(METRICS_CONFIG) instanceof StreamsMetrics m) {
            metrics = m;
        }
        if (configs.get(REJECTED_TOPIC_CONFIG) instanceof String t) {
            rejectedTopic = t;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        String category = Rejected.categoryOf(reason);
        metrics.skipped(category.isEmpty() ? "unreadable" : category);
        String location = record.topic() + "-" + record.partition() + "@" + record.offset();
        // The bytes may hold anything (encryption context values): log where and why, never what.
        LOG.warn("skipping unreadable record at {}: {}", location, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(rejectedTopic, null,
                null, // broker time: an old eventTime must not put the rejection past retention
                location.getBytes(StandardCharsets.UTF_8), record.value(), headers);
        return Response.resume(List.of(dead));
    }
}
