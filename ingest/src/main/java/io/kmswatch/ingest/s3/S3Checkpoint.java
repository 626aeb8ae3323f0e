package io.kmswatch.ingest.s3;

/**
 * The checkpoint of one trail prefix ({@code …/AWSLogs/<account>/CloudTrail/<region>/}): every object
 * up to and including {@code startAfter}, in S3's key order, is completely acknowledged by Kafka.
 * CloudTrail names log files by delivery time under date folders, so new files sort after it.
 * Stored under the key {@code s3:<bucket>/<trail prefix>}.
 *
 * @param startAfter the last completed key, passed to ListObjectsV2 as {@code StartAfter}; never null
 */
public record S3Checkpoint(String startAfter) {
    public S3Checkpoint {
        java.util.Objects.requireNonNull(startAfter, "startAfter");
    }
}
