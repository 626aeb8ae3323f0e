package io.kmswatch.ingest;

import io.kmswatch.ingest.files.FilesConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.kmswatch.ingest.s3.S3Config;
import io.kmswatch.ingest.sqs.SqsConfig;

/**
 * Which sources run; each is off when absent. YAML key {@code sources}.
 *
 * @param lookup    the CloudTrail LookupEvents poller, or null
 * @param files     log files on disk, or null
 * @param s3        log files in S3 buckets, or null
 * @param sqs       SQS queues fed by EventBridge, S3 or CloudTrail notifications, or null
 * @param allEvents true: every CloudTrail record goes to {@code kms-events}, not only KMS records (and S3 writes
 *                  naming an SSE-KMS key), so users' Sigma rules about other services see them; the app turns it
 *                  on when Sigma rules are loaded. Default false.
 */
public record SourcesConfig(LookupConfig lookup, FilesConfig files, S3Config s3, SqsConfig sqs, Boolean allEvents) {
    public SourcesConfig {
        allEvents = allEvents != null && allEvents;
    }

    /** Without an SQS source, only KMS records. */
    public SourcesConfig(LookupConfig lookup, FilesConfig files, S3Config s3) {
        this(lookup, files, s3, null, false);
    }

    /** A copy that sends every record to {@code kms-events} (or only KMS records when false). */
    public SourcesConfig withAllEvents(boolean all) {
        return new SourcesConfig(lookup, files, s3, sqs, all);
    }

    /** A copy with another LookupEvents source. */
    public SourcesConfig withLookup(LookupConfig l) {
        return new SourcesConfig(l, files, s3, sqs, allEvents);
    }

    /** A copy with another files source. */
    public SourcesConfig withFiles(FilesConfig f) {
        return new SourcesConfig(lookup, f, s3, sqs, allEvents);
    }

    /** No source: only the emulator feed, which the app wires in code. */
    public static SourcesConfig none() {
        return new SourcesConfig(null, null, null);
    }

    /** Only the given SQS source. */
    public static SourcesConfig sqs(SqsConfig sqs) {
        return new SourcesConfig(null, null, null, sqs, false);
    }
}
