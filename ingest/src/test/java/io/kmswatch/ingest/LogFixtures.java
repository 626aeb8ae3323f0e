package io.kmswatch.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes CloudTrail log files for tests: records, wrappers, gzip, the S3 delivery layout. */
public final class LogFixtures {
    private LogFixtures() {
    }

    /** A KMS Decrypt record with a given id and time. */
    public static String kms(String eventId, Instant at) {
        return CloudTrailFixtures.decrypt().eventId(eventId).at(at).json();
    }

    /** A non-KMS record (EC2), which ingest skips. */
    public static String ec2(String eventId, Instant at) {
        ObjectNode n = (ObjectNode) CloudTrailFixtures.event("RunInstances").eventId(eventId).at(at).withoutResources()
                .tree();
        n.put("eventSource", "ec2.amazonaws.com");
        n.putObject("requestParameters").put("instanceType", "t3.micro");
        return n.toString();
    }

    /** An S3 PutObject; with {@code sseKmsKey} it names an SSE-KMS key and ingest keeps it. */
    public static String s3Put(String eventId, Instant at, String sseKmsKey) {
        ObjectNode n = (ObjectNode) CloudTrailFixtures.event("PutObject").eventId(eventId).at(at).withoutResources()
                .tree();
        n.put("eventSource", "s3.amazonaws.com");
        ObjectNode req = n.putObject("requestParameters");
        req.put("bucketName", "data").put("key", "a.txt");
        if (sseKmsKey != null) {
            req.put("x-amz-server-side-encryption", "aws:kms");
            req.put(EventFilterKeys.SSE, sseKmsKey);
        }
        return n.toString();
    }

    /** {@code {"Records":[…]}}. */
    public static String records(List<String> records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    /** LookupEvents output: {@code {"Events":[{"EventId":…,"CloudTrailEvent":"<json>"}]}}. */
    public static String lookupEvents(List<String> records) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode events = root.putArray("Events");
        for (String r : records) {
            ObjectNode e = events.addObject();
            try {
                e.put("EventId", Json.MAPPER.readTree(r).path("eventID").asText());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            e.put("EventSource", "kms.amazonaws.com");
            e.put("CloudTrailEvent", r);
        }
        return root.toString();
    }

    public static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, String content) {
        return write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The S3 delivery key of a log file: {@code AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<name>.json.gz}. */
    public static String deliveryKey(String account, String region, Instant delivered, String random) {
        String d = delivered.toString(); // 2024-03-01T12:00:00Z
        String day = d.substring(0, 4) + "/" + d.substring(5, 7) + "/" + d.substring(8, 10);
        String stamp = d.substring(0, 4) + d.substring(5, 7) + d.substring(8, 10) + "T" + d.substring(11, 13)
                + d.substring(14, 16) + "Z";
        return "AWSLogs/" + account + "/CloudTrail/" + region + "/" + day + "/" + account + "_CloudTrail_" + region
                + "_" + stamp + "_" + random + ".json.gz";
    }

    /** Names shared with the filter, so fixtures and code cannot drift apart. */
    static final class EventFilterKeys {
        static final String SSE = EventFilter.SSE_KMS_KEY_PARAMETER;
    }
}
