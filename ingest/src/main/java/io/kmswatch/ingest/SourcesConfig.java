package io.kmswatch.ingest;

import io.kmswatch.ingest.files.FilesConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.kmswatch.ingest.s3.S3Config;
import io.kmswatch.ingest.sqs.SqsConfig;

/**
 * Which sources run; each is off when absent. YAML key {@code sources}.
 *
 * @param lookup the CloudTrail LookupEvents poller, or null
 * @param files  log files on disk, or null
 * @param s3     log files in S3 buckets, or null
 * @param sqs    SQS queues fed by EventBridge, S3 or CloudTrail notifications, or null
 */
public record SourcesConfig(LookupConfig lookup, FilesConfig files, S3Config s3, SqsConfig sqs) {
    /** Without an SQS source. */
    public SourcesConfig(LookupConfig lookup, FilesConfig files, S3Config s3) {
        this(lookup, files, s3, null);
    }

    /** No source: only the emulator feed, which the app wires in code. */
    public static SourcesConfig none() {
        return new SourcesConfig(null, null, null, null);
    }

    /** Only the given SQS source. */
    public static SourcesConfig sqs(SqsConfig sqs) {
        return new SourcesConfig(null, null, null, sqs);
    }
}
