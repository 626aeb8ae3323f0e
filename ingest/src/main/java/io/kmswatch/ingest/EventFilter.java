package io.kmswatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import java.util.Set;

/**
 * Which CloudTrail records go to {@code kms-events}: every {@code kms.amazonaws.com} record, plus S3
 * object writes whose request names an SSE-KMS key
 * ({@code x-amz-server-side-encryption-aws-kms-key-id}), which the external-key-encryption detection
 * needs. Everything else is skipped (counted, not rejected: it is valid CloudTrail, just not ours).
 */
public final class EventFilter {
    /** The request parameter S3 logs when a write names an SSE-KMS key. */
    public static final String SSE_KMS_KEY_PARAMETER = "x-amz-server-side-encryption-aws-kms-key-id";

    /** S3 operations that write an object and may name the key that encrypts it. */
    public static final Set<String> S3_WRITES = Set.of("PutObject", "CopyObject", "CreateMultipartUpload",
            "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "PostObject", "RestoreObject",
            "WriteGetObjectResponse");

    private EventFilter() {
    }

    /** True when the record belongs on {@code kms-events}: every record when {@code allEvents}. */
    public static boolean keep(CloudTrailEvent event, boolean allEvents) {
        return allEvents || keep(event);
    }

    /** True when the record belongs on {@code kms-events}. */
    public static boolean keep(CloudTrailEvent event) {
        if (event.isKms()) {
            return true;
        }
        return "s3.amazonaws.com".equals(event.eventSource()) && S3_WRITES.contains(event.eventName())
                && namesSseKmsKey(event.requestParameters());
    }

    private static boolean namesSseKmsKey(JsonNode request) {
        JsonNode key = request.get(SSE_KMS_KEY_PARAMETER);
        return key != null && key.isTextual() && !key.textValue().isBlank();
    }
}
