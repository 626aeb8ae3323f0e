package io.kmswatch.ingest;

import java.time.Instant;

/**
 * Drives an {@link IngestMetrics} through its package-private recording methods, so the test's scrape
 * shows the meters that appear only once something happened (rejections by reason). Lives in the
 * ingest package on the test class path only; the dashboards module never calls ingest at run time.
 */
public final class IngestMetricsDriver {
    private IngestMetricsDriver() {
    }

    /** One record read, produced, one rejected, one checkpoint written. */
    public static void exercise(IngestMetrics metrics) {
        metrics.recordIn();
        metrics.recordProduced(Instant.now());
        metrics.recordFiltered();
        metrics.recordDuplicate();
        metrics.recordRejected("malformed json");
        metrics.recordCheckpoint();
        metrics.recordFileDone();
        metrics.recordLookupCall("success");
    }
}
