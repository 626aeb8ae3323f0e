package io.kmswatch.ingest;

import java.time.Duration;

/**
 * What a source (or a whole replay) did.
 *
 * @param files        files, S3 objects or SQS messages read completely in this run
 * @param filesSkipped files or objects skipped because a checkpoint says they are done
 * @param records      CloudTrail records read
 * @param produced     records acknowledged on {@code kms-events}
 * @param rejected     inputs sent to {@code kms-events-rejected}
 * @param filtered     records skipped as not KMS
 * @param duplicates   records dropped as already sent
 * @param elapsed      wall time of the run
 */
public record IngestSummary(long files, long filesSkipped, long records, long produced, long rejected,
                            long filtered, long duplicates, Duration elapsed) {
    /** Records per second over the run (records read). */
    public double recordsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : records / s;
    }

    /** Field-wise sum; the elapsed time is the longer one. */
    public IngestSummary plus(IngestSummary o) {
        return new IngestSummary(files + o.files, filesSkipped + o.filesSkipped, records + o.records,
                produced + o.produced, rejected + o.rejected, filtered + o.filtered, duplicates + o.duplicates,
                elapsed.compareTo(o.elapsed) >= 0 ? elapsed : o.elapsed);
    }
}
