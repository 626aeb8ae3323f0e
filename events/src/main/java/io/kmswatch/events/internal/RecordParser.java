package io.kmswatch.events.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.MalformedEventException;
import io.kmswatch.events.Resource;
import io.kmswatch.events.UserIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Single-pass reader of one JSON object that is (or wraps) a CloudTrail record. It pulls the typed
 * fields out as it streams, remembers where the large sub-objects lie instead of building trees for
 * them, and notices wrapper fields ({@code Records}, {@code Events}, {@code detail},
 * {@code CloudTrailEvent}) so the codec can tell the wrapper from the record in the same pass.
 *
 * <p>Problems with a field's type do not stop the read: the first problem is remembered, the rest of
 * the object is consumed, and the caller turns it into a rejection. The parser is left on the
 * object's END_OBJECT.
 */
public final class RecordParser {
    private static final DateTimeFormatter LENIENT_LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private RecordParser() {
    }

    /** Called when the object being read holds a wrapper array; the parser is on START_ARRAY. */
    public interface WrapperHandler {
        void onArray(String fieldName, JsonParser parser) throws IOException;
    }

    /** What one object held. Mutable while reading; handed to {@link CloudTrailEvent}'s constructor. */
    public static final class Fields {
        public byte[] raw;
        public String eventId;
        public boolean eventIdDerived;
        public Instant eventTime;
        public String eventTimeText;
        public String eventVersion;
        public String eventSource;
        public String eventName;
        public String eventType;
        public String eventCategory;
        public String awsRegion;
        public UserIdentity userIdentity;
        public String sourceIpAddress;
        public String userAgent;
        public String errorCode;
        public String errorMessage;
        public String requestId;
        public String recipientAccountId;
        public String sharedEventId;
        public String vpcEndpointId;
        public Boolean readOnly;
        public Boolean managementEvent;
        public List<Resource> resources = new ArrayList<>(1);
        public int[] requestParameters;
        public int[] responseElements;
        public int[] additionalEventData;
        public int[] serviceEventDetails;
        /** Absolute spans while reading; made relative to {@link #raw} by {@link #finish}. */
        private long[][] absoluteSpans = new long[4][];

        /** First type problem seen, or null. */
        public String problem;
        /** A wrapper array ({@code Records}/{@code Events}) was streamed through the handler. */
        public boolean wrapperSeen;
        /** Absolute span of an EventBridge {@code detail} object, or null. */
        public long[] detailSpan;
        /** {@code detail-type} or {@code source} was present: an EventBridge envelope. */
        public boolean envelopeSeen;
        /** The LookupEvents {@code CloudTrailEvent} string, or null. */
        public String embeddedRecord;
        /** The object looked like a CloudTrail digest file. */
        public boolean digest;

        /** True when the object carries the fields of a record (as opposed to a wrapper). */
        public boolean looksLikeRecord() {
            return eventTimeText != null || eventName != null || eventSource != null || eventVersion != null
                    || eventId != null;
        }

        void problem(String p) {
            if (problem == null) {
                problem = p;
            }
        }
    }

    /**
     * Parses one complete record from bytes.
     *
     * @throws MalformedEventException when the bytes are not one readable record
     */
    public static CloudTrailEvent parseRecord(byte[] json) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedEventException(t == null ? "empty input" : "expected a JSON object, found " + describe(t));
            }
            Fields f = readObject(p, null);
            if (p.nextToken() != null) {
                throw new MalformedEventException("trailing content after the record");
            }
            return finish(f, json, 0);
        } catch (IOException e) {
            throw new MalformedEventException("not valid JSON: " + message(e), e);
        }
    }

    /**
     * Reads the object the parser is on (START_OBJECT) up to its END_OBJECT.
     *
     * @param handler receives {@code Records}/{@code Events} arrays; null to treat them as plain fields
     */
    public static Fields readObject(JsonParser p, WrapperHandler handler) throws IOException {
        Fields f = new Fields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "eventID" -> f.eventId = requiredString(p, v, name, f);
                case "eventTime" -> f.eventTimeText = requiredString(p, v, name, f);
                case "eventVersion" -> f.eventVersion = string(p, v, name, f);
                case "eventSource" -> f.eventSource = requiredString(p, v, name, f);
                case "eventName" -> f.eventName = requiredString(p, v, name, f);
                case "eventType" -> f.eventType = string(p, v, name, f);
                case "eventCategory" -> f.eventCategory = string(p, v, name, f);
                case "awsRegion" -> f.awsRegion = string(p, v, name, f);
                case "sourceIPAddress" -> f.sourceIpAddress = string(p, v, name, f);
                case "userAgent" -> f.userAgent = string(p, v, name, f);
                case "errorCode" -> f.errorCode = string(p, v, name, f);
                case "errorMessage" -> f.errorMessage = string(p, v, name, f);
                case "requestID" -> f.requestId = string(p, v, name, f);
                case "recipientAccountId" -> f.recipientAccountId = string(p, v, name, f);
                case "sharedEventID" -> f.sharedEventId = string(p, v, name, f);
                case "vpcEndpointId" -> f.vpcEndpointId = string(p, v, name, f);
                case "readOnly" -> f.readOnly = bool(p, v, name, f);
                case "managementEvent" -> f.managementEvent = bool(p, v, name, f);
                case "userIdentity" -> f.userIdentity = userIdentity(p, v, f);
                case "resources" -> resources(p, v, f);
                case "requestParameters" -> f.absoluteSpans[0] = span(p, v);
                case "responseElements" -> f.absoluteSpans[1] = span(p, v);
                case "additionalEventData" -> f.absoluteSpans[2] = span(p, v);
                case "serviceEventDetails" -> f.absoluteSpans[3] = span(p, v);
                case "Records", "Events" -> {
                    if (handler != null && v == JsonToken.START_ARRAY) {
                        f.wrapperSeen = true;
                        handler.onArray(name, p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "detail" -> {
                    if (v == JsonToken.START_OBJECT) {
                        f.detailSpan = span(p, v);
                    } else {
                        p.skipChildren();
                    }
                }
                case "detail-type" -> {
                    f.envelopeSeen = true;
                    p.skipChildren();
                }
                case "CloudTrailEvent" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        f.embeddedRecord = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                case "digestStartTime", "digestEndTime", "logFiles", "previousDigestSignature" -> {
                    f.digest = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedEventException("unexpected " + describe(t) + " inside an object");
        }
        return f;
    }

    /**
     * Completes a record read by {@link #readObject}: keeps {@code raw} (which starts at absolute
     * offset {@code start}), validates the required fields and derives a missing event id.
     *
     * @throws MalformedEventException when the record is not valid
     */
    public static CloudTrailEvent finish(Fields f, byte[] raw, long start) {
        if (f.problem != null) {
            throw new MalformedEventException(f.problem);
        }
        if (f.eventTimeText == null) {
            throw new MalformedEventException("record has no eventTime");
        }
        f.eventTime = parseTime(f.eventTimeText);
        if (f.eventTime == null) {
            throw new MalformedEventException("eventTime '" + truncate(f.eventTimeText, 40) + "' is not a timestamp");
        }
        f.raw = raw;
        if (f.eventId == null || f.eventId.isEmpty()) {
            f.eventId = derivedId(raw);
            f.eventIdDerived = true;
        }
        f.requestParameters = relative(f.absoluteSpans[0], start);
        f.responseElements = relative(f.absoluteSpans[1], start);
        f.additionalEventData = relative(f.absoluteSpans[2], start);
        f.serviceEventDetails = relative(f.absoluteSpans[3], start);
        return new CloudTrailEvent(f);
    }

    /**
     * Parses CloudTrail's {@code eventTime}: ISO-8601 with {@code Z} or an offset, and the looser forms
     * some exports use ({@code 2021-10-19 00:56:05}, with or without fractions), read as UTC.
     * Returns null when the text is not a timestamp.
     */
    public static Instant parseTime(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        Instant fast = parseCanonicalTime(s);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeException ignored) {
            // fall through to the looser forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException ignored) {
            // fall through
        }
        try {
            return LocalDateTime.parse(s, LENIENT_LOCAL).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            return null;
        }
    }

    /**
     * The form CloudTrail writes, {@code yyyy-MM-ddTHH:mm:ssZ}, parsed without the general formatter
     * (it is on the hot path of every record). Null when the text is in any other form.
     */
    private static Instant parseCanonicalTime(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59
                || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A stable id for a record without {@code eventID}: a UUID-shaped SHA-256 prefix of its bytes. */
    public static String derivedId(byte[] raw) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
            String h = HexFormat.of().formatHex(d, 0, 16);
            return "derived-" + h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
                    + h.substring(16, 20) + "-" + h.substring(20, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    private static int[] relative(long[] abs, long start) {
        return abs == null ? null : new int[] {(int) (abs[0] - start), (int) (abs[1] - start)};
    }

    /** Remembers where a value lies (absolute byte offsets, end exclusive); null for a JSON null. */
    private static long[] span(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        long begin = p.currentTokenLocation().getByteOffset();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
            return new long[] {begin, p.currentTokenLocation().getByteOffset() + 1};
        }
        // A scalar: its end is where the parser now stands (strings must be read to be consumed).
        p.finishToken();
        return new long[] {begin, p.currentLocation().getByteOffset()};
    }

    private static String requiredString(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v != JsonToken.VALUE_NULL) {
            f.problem("field '" + name + "' must be a string, found " + describe(v));
            p.skipChildren();
        }
        return null;
    }

    private static String string(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        switch (v) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE:
                return p.getText();
            case VALUE_NULL:
                return null;
            default:
                f.problem("field '" + name + "' must be a string, found " + describe(v));
                p.skipChildren();
                return null;
        }
    }

    private static Boolean bool(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        switch (v) {
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String s = p.getText();
                if ("true".equalsIgnoreCase(s)) {
                    return Boolean.TRUE;
                }
                if ("false".equalsIgnoreCase(s)) {
                    return Boolean.FALSE;
                }
                f.problem("field '" + name + "' must be a boolean, found '" + truncate(s, 20) + "'");
                return null;
            default:
                f.problem("field '" + name + "' must be a boolean, found " + describe(v));
                p.skipChildren();
                return null;
        }
    }

    private static UserIdentity userIdentity(JsonParser p, JsonToken v, Fields f) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            f.problem("field 'userIdentity' must be an object, found " + describe(v));
            p.skipChildren();
            return null;
        }
        // Streamed by hand: a tree per record costs more than the rest of the record's parse.
        String type = null;
        String principalId = null;
        String arn = null;
        String accountId = null;
        String accessKeyId = null;
        String userName = null;
        String invokedBy = null;
        String[] issuer = new String[3];
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> type = string(p, value, "userIdentity.type", f);
                case "principalId" -> principalId = string(p, value, "userIdentity.principalId", f);
                case "arn" -> arn = string(p, value, "userIdentity.arn", f);
                case "accountId" -> accountId = string(p, value, "userIdentity.accountId", f);
                case "accessKeyId" -> accessKeyId = string(p, value, "userIdentity.accessKeyId", f);
                case "userName" -> userName = string(p, value, "userIdentity.userName", f);
                case "invokedBy" -> invokedBy = string(p, value, "userIdentity.invokedBy", f);
                case "sessionContext" -> sessionContext(p, value, issuer, f);
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedEventException("unexpected " + describe(t) + " inside 'userIdentity'");
        }
        return new UserIdentity(type, principalId, arn, accountId, accessKeyId, userName, invokedBy,
                issuer[0], issuer[1], issuer[2]);
    }

    /** Reads {@code sessionContext.sessionIssuer}'s type, arn and accountId into {@code issuer}. */
    private static void sessionContext(JsonParser p, JsonToken v, String[] issuer, Fields f) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("sessionIssuer".equals(name) && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken fv = p.nextToken();
                    switch (field) {
                        case "type" -> issuer[0] = string(p, fv, "sessionIssuer.type", f);
                        case "arn" -> issuer[1] = string(p, fv, "sessionIssuer.arn", f);
                        case "accountId" -> issuer[2] = string(p, fv, "sessionIssuer.accountId", f);
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void resources(JsonParser p, JsonToken v, Fields f) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_ARRAY) {
            f.problem("field 'resources' must be an array, found " + describe(v));
            p.skipChildren();
            return;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                String arn = null;
                String lowerArn = null;
                String accountId = null;
                String type = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "ARN" -> arn = string(p, value, "resources.ARN", f);
                        case "arn" -> lowerArn = string(p, value, "resources.arn", f);
                        case "accountId" -> accountId = string(p, value, "resources.accountId", f);
                        case "type" -> type = string(p, value, "resources.type", f);
                        default -> p.skipChildren();
                    }
                }
                f.resources.add(new Resource(arn != null ? arn : lowerArn, accountId, type));
            } else if (t == null) {
                throw new MalformedEventException("input ends inside 'resources'");
            } else {
                f.problem("entries of 'resources' must be objects, found " + describe(t));
                p.skipChildren();
            }
        }
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** The message of an I/O or parse failure, on one line, without Jackson's source excerpt. */
    public static String message(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            String where = jpe.getLocation() == null ? "" : " at byte " + jpe.getLocation().getByteOffset();
            return oneLine(jpe.getOriginalMessage()) + where;
        }
        return oneLine(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** Exception messages on one line, without Jackson's source excerpt. */
    public static String oneLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String m = message.replace('\n', ' ').replace('\r', ' ');
        return truncate(new String(m.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), 200);
    }
}
