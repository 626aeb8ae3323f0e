package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Drops records whose eventID was already processed, before any detection sees them, so repeated
 * delivery (S3 + EventBridge fan-in, org trail + member trail, a re-ingest) never double counts.
 *
 * <p>eventIDs are remembered in a window store, bounded by {@code retention}: a re-delivered record
 * has the same eventTime as the original, so one exact lookup at that time finds it. A record older
 * than stream time minus the retention can no longer be checked and is dropped as late (every windowed
 * detection would drop it anyway, since retention ≥ grace + window). Records that are neither KMS nor
 * the S3 writes ingest keeps for SSE-KMS are passed over without state.
 */
final class DedupProcessor implements Processor<String, CloudTrailEvent, String, CloudTrailEvent> {
    static final String STORE = "kmswatch-dedup";

    private final long retentionMs;
    private final StreamsMetrics metrics;
    private final boolean allEvents;
    private ProcessorContext<String, CloudTrailEvent> context;
    private WindowStore<String, Long> seen;

    DedupProcessor(Duration retention, StreamsMetrics metrics) {
        this(retention, metrics, false);
    }

    /** With {@code allEvents} records of every service pass (users' Sigma rules may be about any of them). */
    DedupProcessor(Duration retention, StreamsMetrics metrics, boolean allEvents) {
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
        this.allEvents = allEvents;
    }

    /** The records the built-in detections read: KMS calls and S3 (object writes naming SSE-KMS keys). */
    static boolean isKmsOrS3(CloudTrailEvent e) {
        return e.isKms() || "s3.amazonaws.com".equals(e.eventSource());
    }

    @Override
    public void init(ProcessorContext<String, CloudTrailEvent> ctx) {
        this.context = ctx;
        this.seen = ctx.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        CloudTrailEvent e = record.value();
        if (e == null) {
            return; // a settle tick: the topology splits them off before this processor (see DetectionTopology)
        }
        boolean ours = isKmsOrS3(e);
        if (!ours && !allEvents) {
            metrics.event("other", e.succeeded());
            return;
        }
        long ts = record.timestamp();
        if (ts <= context.currentStreamTimeMs() - retentionMs) {
            metrics.lateDropped("dedup");
            return;
        }
        if (seen.fetch(e.eventId(), ts) != null) {
            metrics.duplicate();
            return;
        }
        seen.put(e.eventId(), ts, ts);
        if (ours) {
            metrics.observed(e);
        } else {
            metrics.event("other", e.succeeded());
        }
        context.forward(record);
    }
}
