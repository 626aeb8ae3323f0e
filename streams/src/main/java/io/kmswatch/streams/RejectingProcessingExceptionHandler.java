package io.kmswatch.streams;

import io.kmswatch.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that makes a detection throw (a shape nobody foresaw) must not stop the stage: the error
 * is counted ({@code kmswatch.streams.records.skipped{reason=processing_error}}), logged without the
 * record's content, and the source bytes go to {@code kms-events-rejected} with the reason. Configured
 * like {@link RejectingDeserializationHandler}.
 */
public final class RejectingProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RejectingProcessingExceptionHandler.class);
    private StreamsMetrics metrics = new StreamsMetrics();
    private String rejectedTopic = Topics.DEFAULT.kmsEventsRejected().name();

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(RejectingDeserializationHandler.METRICS_CONFIG) instanceof StreamsMetrics m) {
            metrics = m;
        }
        if (configs.get(RejectingDeserializationHandler.REJECTED_TOPIC_CONFIG) instanceof String t) {
            rejectedTopic = t;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        metrics.skipped("processing_error");
        String location = context.topic() + "-" + context.partition() + "@" + context.offset();
        String reason = "detection failed in " + context.processorNodeId() + ": " + exception;
        LOG.error("skipping record at {}: {}", location, reason, exception);
        byte[] raw = context.sourceRawValue();
        if (raw == null) {
            return Response.resume();
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        return Response.resume(List.of(new ProducerRecord<>(rejectedTopic, null, null,
                location.getBytes(StandardCharsets.UTF_8), raw, headers)));
    }
}
