package io.kmswatch.ingest.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmswatch.ingest.files.LogFiles;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one SQS message body holds, recognised by its shape (AWS CloudTrail, EventBridge, S3 and SNS
 * user guides; {@code reference/aws-event-delivery.md}), raw or inside an SNS envelope
 * ({@code {"Type":"Notification","Message":"<inner JSON as a string>",…}}):
 * <ul>
 *   <li>{@link Events}: an EventBridge event ({@code detail-type} and a {@code detail} object) or a bare
 *       CloudTrail record; the codec reads the bytes and keeps the record byte for byte;</li>
 *   <li>{@link Objects}: an S3 event notification ({@code Records[]} with {@code eventSource: aws:s3}) or
 *       CloudTrail's own notification ({@code {"s3Bucket":…,"s3ObjectKey":[…]}}): the log files to read,
 *       digest files and events other than {@code ObjectCreated:*} counted as passed over;</li>
 *   <li>{@link Ignored}: a message that carries no events by design (S3's {@code s3:TestEvent}, an SNS
 *       subscription confirmation);</li>
 *   <li>{@link Invalid}: anything else, with the reason.</li>
 * </ul>
 * Note the shape clash AWS leaves: an S3 notification is {@code {"Records":[…]}} like a trail file; its
 * records are told apart by {@code eventSource: aws:s3} and their {@code s3} member.
 */
public sealed interface SqsMessage {
    /** Bytes for the codec: an EventBridge envelope or a CloudTrail record. */
    record Events(byte[] json, boolean sns) implements SqsMessage {
    }

    /** S3 objects to read, and how many announced objects were passed over (digests, other events). */
    record Objects(List<S3Ref> objects, int passedOver, boolean sns) implements SqsMessage {
    }

    /** A message that holds no events by design. */
    record Ignored(String what) implements SqsMessage {
    }

    /** A message that cannot be read. */
    record Invalid(String reason) implements SqsMessage {
    }

    /** One announced object (key already URL-decoded). */
    record S3Ref(String bucket, String key) {
    }

    /** Recognises a message body. Never throws. */
    static SqsMessage parse(String body, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            return new Invalid("empty message body");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return new Invalid("message body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Invalid("message body is not a JSON object");
        }
        boolean sns = false;
        String inner = body;
        if ("Notification".equals(text(root, "Type")) && root.has("TopicArn")) {
            JsonNode message = root.get("Message");
            if (message == null || !message.isTextual()) {
                return new Invalid("SNS notification without a Message string");
            }
            sns = true;
            inner = message.asText();
            try {
                root = mapper.readTree(inner);
            } catch (JsonProcessingException e) {
                return new Invalid("the SNS Message is not JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                return new Invalid("the SNS Message is not a JSON object");
            }
        } else if ("SubscriptionConfirmation".equals(text(root, "Type")) && root.has("TopicArn")) {
            return new Ignored("SNS subscription confirmation for " + text(root, "TopicArn")
                    + ": confirm it (aws sns confirm-subscription) to receive notifications");
        }
        return classify(root, inner, sns);
    }

    private static SqsMessage classify(JsonNode root, String json, boolean sns) {
        if (root.has("detail-type") || root.has("detail")) {
            JsonNode detail = root.get("detail");
            if (detail == null || !detail.isObject()) {
                return new Invalid("EventBridge event without a detail object");
            }
            if (!detail.has("eventName") && !detail.has("eventID")) {
                return new Invalid("EventBridge event of detail-type '" + text(root, "detail-type")
                        + "' whose detail is not a CloudTrail record");
            }
            return new Events(json.getBytes(StandardCharsets.UTF_8), sns);
        }
        if ("s3:TestEvent".equals(text(root, "Event"))) {
            return new Ignored("S3 test event for bucket " + text(root, "Bucket"));
        }
        if (root.has("s3Bucket") && root.has("s3ObjectKey")) {
            return cloudTrailNotification(root, sns);
        }
        JsonNode records = root.get("Records");
        if (records != null && records.isArray() && !records.isEmpty()
                && "aws:s3".equals(text(records.get(0), "eventSource"))) {
            return s3Notification(records, sns);
        }
        if (root.has("eventVersion") && root.has("eventName")) {
            return new Events(json.getBytes(StandardCharsets.UTF_8), sns);
        }
        if (records != null && records.isArray()) {
            return new Invalid("a Records array that is neither an S3 event notification nor expected on a queue"
                    + " (a whole trail file belongs in S3, announced by a notification)");
        }
        return new Invalid("not an EventBridge event, an S3 or CloudTrail notification, or a CloudTrail record"
                + (sns ? " (inside an SNS notification)" : ""));
    }

    private static SqsMessage cloudTrailNotification(JsonNode root, boolean sns) {
        String bucket = text(root, "s3Bucket");
        JsonNode keys = root.get("s3ObjectKey");
        if (bucket == null || keys == null || !keys.isArray()) {
            return new Invalid("CloudTrail notification without s3Bucket and an s3ObjectKey array");
        }
        List<S3Ref> out = new ArrayList<>();
        int passed = 0;
        for (JsonNode k : keys) {
            if (!k.isTextual() || k.asText().isEmpty()) {
                return new Invalid("CloudTrail notification with an s3ObjectKey that is not a string");
            }
            if (LogFiles.isDigestPath(k.asText())) {
                passed++;
            } else {
                out.add(new S3Ref(bucket, k.asText()));
            }
        }
        return new Objects(out, passed, sns);
    }

    private static SqsMessage s3Notification(JsonNode records, boolean sns) {
        List<S3Ref> out = new ArrayList<>();
        int passed = 0;
        for (JsonNode r : records) {
            String name = text(r, "eventName");
            JsonNode s3 = r.get("s3");
            String bucket = s3 == null ? null : text(s3.get("bucket"), "name");
            String key = s3 == null ? null : text(s3.get("object"), "key");
            if (name == null || bucket == null || key == null) {
                return new Invalid("S3 event notification record without eventName, s3.bucket.name or s3.object.key");
            }
            // keys arrive URL-encoded, a space as '+'
            String decoded = URLDecoder.decode(key, StandardCharsets.UTF_8);
            if (!name.startsWith("ObjectCreated:") || LogFiles.isDigestPath(decoded) || decoded.endsWith("/")) {
                passed++;
            } else {
                out.add(new S3Ref(bucket, decoded));
            }
        }
        return new Objects(out, passed, sns);
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
