package io.kmswatch.emulator.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.Resource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * CloudTrail {@code LookupEvents} over the emulator's records: the caller's account and the request's region,
 * at most one lookup attribute (EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource,
 * AccessKeyId), an inclusive StartTime/EndTime range, MaxResults 1–50 (default 50), NextToken paging, newest
 * first, and each record as the {@code CloudTrailEvent} JSON string.
 *
 * @see <a href="https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html">LookupEvents</a>
 */
public final class LookupEventsHandler {
    public static final String TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    private static final Set<String> KEYS = Set.of("EventId", "EventName", "ReadOnly", "Username", "ResourceType",
            "ResourceName", "EventSource", "AccessKeyId");

    private final TrailStore store;

    public LookupEventsHandler(TrailStore store) {
        this.store = store;
    }

    /**
     * Answers one request body.
     *
     * @throws KmsServiceException InvalidLookupAttributesException, InvalidTimeRangeException,
     *                             InvalidMaxResultsException, InvalidNextTokenException
     */
    public ObjectNode handle(JsonNode body, Caller caller, String region) {
        Predicate<TrailStore.Stored> filter = s -> caller.accountId().equals(s.event().recipientAccountId())
                && region.equals(s.event().awsRegion());
        JsonNode attrs = body.path("LookupAttributes");
        if (!attrs.isMissingNode() && !attrs.isNull()) {
            if (!attrs.isArray() || attrs.size() > 1) {
                throw new KmsServiceException(KmsErrorCode.INVALID_LOOKUP_ATTRIBUTES,
                        "You cannot specify more than one lookup attribute.");
            }
            if (attrs.size() == 1) {
                String key = attrs.get(0).path("AttributeKey").asText(null);
                String value = attrs.get(0).path("AttributeValue").asText(null);
                if (key == null || !KEYS.contains(key) || value == null || value.isEmpty()) {
                    throw new KmsServiceException(KmsErrorCode.INVALID_LOOKUP_ATTRIBUTES,
                            "Lookup attribute key or value is not valid.");
                }
                filter = filter.and(attribute(key, value));
            }
        }
        Instant start = time(body.get("StartTime"));
        Instant end = time(body.get("EndTime"));
        if (start != null && end != null && start.isAfter(end)) {
            throw new KmsServiceException(KmsErrorCode.INVALID_TIME_RANGE, "Start time must not be after end time.");
        }
        if (start != null) {
            Instant s = start;
            filter = filter.and(x -> !x.event().eventTime().isBefore(s));
        }
        if (end != null) {
            Instant e = end;
            filter = filter.and(x -> !x.event().eventTime().isAfter(e));
        }
        int max = 50;
        JsonNode mr = body.get("MaxResults");
        if (mr != null && !mr.isNull()) {
            if (!mr.canConvertToInt() || mr.asInt() < 1 || mr.asInt() > 50) {
                throw new KmsServiceException(KmsErrorCode.INVALID_MAX_RESULTS,
                        "Value for parameter maxResults is not valid. It must be between 1 and 50.");
            }
            max = mr.asInt();
        }
        long before = Long.MAX_VALUE;
        JsonNode token = body.get("NextToken");
        if (token != null && !token.isNull()) {
            try {
                String t = new String(Base64.getDecoder().decode(token.asText()), StandardCharsets.US_ASCII);
                before = Long.parseLong(t.substring(t.indexOf(':') + 1));
            } catch (RuntimeException e) {
                throw new KmsServiceException(KmsErrorCode.INVALID_NEXT_TOKEN, "Invalid NextToken.");
            }
        }
        List<TrailStore.Stored> found = store.newestFirst(before, filter, max);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode events = out.putArray("Events");
        for (int i = 0; i < Math.min(max, found.size()); i++) {
            events.add(summary(found.get(i)));
        }
        if (found.size() > max) {
            long seq = found.get(max - 1).seq();
            out.put("NextToken", Base64.getEncoder().encodeToString(("t:" + seq).getBytes(StandardCharsets.US_ASCII)));
        }
        return out;
    }

    private static Predicate<TrailStore.Stored> attribute(String key, String value) {
        return switch (key) {
            case "EventId" -> s -> value.equals(s.event().eventId());
            case "EventName" -> s -> value.equals(s.event().eventName());
            case "ReadOnly" -> s -> value.equalsIgnoreCase(String.valueOf(Boolean.TRUE.equals(s.event().readOnly())));
            case "Username" -> s -> value.equals(s.username());
            case "EventSource" -> s -> value.equals(s.event().eventSource());
            case "AccessKeyId" -> s -> value.equals(s.accessKeyId());
            case "ResourceType" -> s -> s.event().resources().stream().anyMatch(r -> value.equals(r.type()));
            default -> s -> s.event().resources().stream().anyMatch(r -> value.equals(r.arn()));
        };
    }

    private static Instant time(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            return Instant.ofEpochMilli(d.movePointRight(3).longValue());
        }
        try {
            return Instant.parse(n.asText());
        } catch (RuntimeException e) {
            throw new KmsServiceException(KmsErrorCode.INVALID_TIME_RANGE, "Invalid time " + n.asText());
        }
    }

    private static ObjectNode summary(TrailStore.Stored s) {
        CloudTrailEvent e = s.event();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("EventId", e.eventId());
        o.put("EventName", e.eventName());
        o.put("ReadOnly", String.valueOf(Boolean.TRUE.equals(e.readOnly())));
        if (s.accessKeyId() != null) {
            o.put("AccessKeyId", s.accessKeyId());
        }
        o.put("EventTime", e.eventTime().getEpochSecond());
        o.put("EventSource", e.eventSource());
        if (s.username() != null) {
            o.put("Username", s.username());
        }
        ArrayNode res = o.putArray("Resources");
        for (Resource r : e.resources()) {
            ObjectNode ro = res.addObject();
            ro.put("ResourceType", r.type() == null ? "AWS::KMS::Key" : r.type());
            ro.put("ResourceName", r.arn());
        }
        o.put("CloudTrailEvent", e.rawJson());
        return o;
    }
}
