package io.kmswatch.events;

/**
 * What one {@link CloudTrailCodec} read found.
 *
 * @param source   the name or path read
 * @param wrapper  the wrapper detected
 * @param records  records handed to the sink
 * @param rejected rejections handed to the sink
 */
public record ReadSummary(String source, Wrapper wrapper, long records, long rejected) {
    /** The container shapes the codec recognises. */
    public enum Wrapper {
        /** S3 delivery: {@code {"Records":[…]}}. */
        RECORDS,
        /** LookupEvents output: {@code {"Events":[{"CloudTrailEvent":"<json>"}…]}}. */
        LOOKUP_EVENTS,
        /** EventBridge envelope with the record in {@code detail}. */
        EVENTBRIDGE,
        /** A bare JSON array of records. */
        ARRAY,
        /** One JSON value per line. */
        NDJSON,
        /** One record, alone. */
        SINGLE,
        /** A zip archive of any of the above. */
        ZIP,
        /** A CloudTrail digest file: skipped, it holds hashes, not events. */
        DIGEST,
        /** Nothing recognisable (empty, not JSON, or JSON that is not CloudTrail). */
        UNKNOWN
    }

    /** Sum of two summaries of the same source (for archives and directories). */
    public ReadSummary plus(ReadSummary other) {
        return new ReadSummary(source, wrapper, records + other.records, rejected + other.rejected);
    }
}
