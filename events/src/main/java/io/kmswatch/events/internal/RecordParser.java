package io.kmswatch.events.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.MalformedEventException;
import io.kmswatch.events.Resource;
import io.kmswatch.events.UserIdentity;
import java.io.EOFException;
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
 * object's END_OBJECT. Besides wrong types, a record is refused for: a field the model reads given
 * twice (readers that keep the first and readers that keep the last would disagree on what the record
 * says), nesting deeper than {@link Json#MAX_NESTING_DEPTH} levels, and an {@code eventTime} before
 * 1970 or after 9999 (Kafka cannot timestamp it). Deep nesting is measured here, not by Jackson, so
 * one deep record is refused on its own and the records after it are still read; Jackson's own limit
 * ({@link #MAX_PARSER_DEPTH}) only stops input nested deeper than that.
 */
public final class RecordParser {
    /**
     * Nesting Jackson itself tolerates while streaming (a bound on the parser's memory); records are
     * held to {@link Json#MAX_NESTING_DEPTH} by this class, which can reject one record and go on.
     */
    public static final int MAX_PARSER_DEPTH = 100_000;
    /** The factory of every streaming read of CloudTrail input. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_PARSER_DEPTH)
                    .maxStringLength(64 * 1024 * 1024)
                    .build())
            .build();
    /** Why an object that carries none of the fields of a record is refused. */
    public static final String NOT_A_RECORD = "not a CloudTrail record: no eventTime, eventName, eventSource or eventID";
    /** The earliest eventTime accepted: Kafka record timestamps cannot be negative. */
    public static final Instant MIN_EVENT_TIME = Instant.EPOCH;
    /** The first instant not accepted as an eventTime: four-digit years only. */
    public static final Instant END_EVENT_TIME = Instant.parse("+10000-01-01T00:00:00Z");
    private static final DateTimeFormatter LENIENT_LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    /** Jackson's "(start marker at [Source: …; line: 1, column: 12])", which names no byte offset. */
    private static final java.util.regex.Pattern START_MARKER =
            java.util.regex.Pattern.compile("\\s*\\(start marker at \\[Source: .*?; line: \\d+, column: \\d+\\]\\)");

    private RecordParser() {
    }

    /** Called when the object being read holds a wrapper array; the parser is on START_ARRAY. */
    public interface WrapperHandler {
        void onArray(String fieldName, JsonParser parser) throws IOException;
    }

    /** What one object held. Mutable while reading; handed to {@link CloudTrailEvent}'s constructor. */
    public static final class Fields {
        public byte[] raw;
        /**
         * Set by a reader that took every typed string and boolean field verbatim from the JSON (no conversion)
         * and met no member name with a dot in the objects it read them from; see
         * {@link io.kmswatch.events.CloudTrailEvent#fieldsVerbatim()}.
         */
        public boolean verbatim;
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
        /** Immutable and empty until {@link #addResource} makes it a list of its own. */
        public List<Resource> resources = List.of();
        public int[] requestParameters;
        public int[] responseElements;
        public int[] additionalEventData;
        public int[] serviceEventDetails;
        /** Slots of {@link #textSpans}: string fields decoded when first read. */
        public static final int TEXT_EVENT_CATEGORY = 0;
        public static final int TEXT_USER_AGENT = 1;
        public static final int TEXT_ERROR_MESSAGE = 2;
        public static final int TEXT_REQUEST_ID = 3;
        public static final int TEXT_SHARED_EVENT_ID = 4;
        public static final int TEXT_VPC_ENDPOINT_ID = 5;
        private static final int TEXT_SLOTS = 6;
        /**
         * Where the {@code TEXT_*} fields' contents lie (no escapes, so the bytes are the text; two offsets a
         * slot, end exclusive, -1 when the field is absent or null), or null when every one was decoded into
         * its String field. Absolute while reading, relative to {@link #raw} after {@link #finish}.
         */
        public int[] textSpans;
        /**
         * Set by {@link FastRecordParser} when every byte of the record is ASCII (it sees them all), so
         * {@link #finish} need not check the UTF-8 again.
         */
        public boolean asciiOnly;
        /** Absolute spans while reading; made relative to {@link #raw} by {@link #finish}. */
        final long[][] absoluteSpans = new long[4][];

        /** First type problem seen, or null. */
        public String problem;
        /** Record fields seen so far, one bit each (duplicates are a problem). */
        private long seen;
        /** Nesting depth of the object's own START_OBJECT in the parser, for depth limits. */
        private int baseDepth;
        /** A wrapper field ({@code detail}, {@code CloudTrailEvent}) given twice, or null. */
        public String duplicateWrapperField;
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

        public void addResource(Resource r) {
            if (!(resources instanceof ArrayList)) {
                resources = new ArrayList<>(1);
            }
            resources.add(r);
        }

        void textSpan(int slot, int from, int to) {
            if (textSpans == null) {
                textSpans = new int[2 * TEXT_SLOTS];
                java.util.Arrays.fill(textSpans, -1);
            }
            textSpans[2 * slot] = from;
            textSpans[2 * slot + 1] = to;
        }

        void text(int slot, String value) {
            switch (slot) {
                case TEXT_EVENT_CATEGORY -> eventCategory = value;
                case TEXT_USER_AGENT -> userAgent = value;
                case TEXT_ERROR_MESSAGE -> errorMessage = value;
                case TEXT_REQUEST_ID -> requestId = value;
                case TEXT_SHARED_EVENT_ID -> sharedEventId = value;
                case TEXT_VPC_ENDPOINT_ID -> vpcEndpointId = value;
                default -> throw new IllegalArgumentException("no text slot " + slot);
            }
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
        Fields fast = FastRecordParser.record(json);
        if (fast != null) {
            try {
                return finish(fast, json, 0);
            } catch (MalformedEventException e) {
                // the streaming reader below words the rejection
            }
        }
        return parseRecordStreaming(json);
    }

    /**
     * Parses one complete record from bytes with the streaming reader alone: the reference that
     * {@link FastRecordParser} is held to.
     *
     * @throws MalformedEventException when the bytes are not one readable record
     */
    public static CloudTrailEvent parseRecordStreaming(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedEventException(t == null ? "empty input" : "expected a JSON object, found " + describe(t));
            }
            Fields f = readObject(p, null);
            if (p.nextToken() != null) {
                throw new MalformedEventException("trailing content after the record");
            }
            if (!f.looksLikeRecord()) {
                throw new MalformedEventException(NOT_A_RECORD);
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
        f.baseDepth = p.getParsingContext().getNestingDepth();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "eventID" -> f.eventId = requiredString(p, v, once(f, 0, name), f);
                case "eventTime" -> f.eventTimeText = requiredString(p, v, once(f, 1, name), f);
                case "eventVersion" -> f.eventVersion = string(p, v, once(f, 2, name), f);
                case "eventSource" -> f.eventSource = requiredString(p, v, once(f, 3, name), f);
                case "eventName" -> f.eventName = requiredString(p, v, once(f, 4, name), f);
                case "eventType" -> f.eventType = string(p, v, once(f, 5, name), f);
                case "eventCategory" -> f.eventCategory = string(p, v, once(f, 6, name), f);
                case "awsRegion" -> f.awsRegion = string(p, v, once(f, 7, name), f);
                case "sourceIPAddress" -> f.sourceIpAddress = string(p, v, once(f, 8, name), f);
                case "userAgent" -> f.userAgent = string(p, v, once(f, 9, name), f);
                case "errorCode" -> f.errorCode = string(p, v, once(f, 10, name), f);
                case "errorMessage" -> f.errorMessage = string(p, v, once(f, 11, name), f);
                case "requestID" -> f.requestId = string(p, v, once(f, 12, name), f);
                case "recipientAccountId" -> f.recipientAccountId = string(p, v, once(f, 13, name), f);
                case "sharedEventID" -> f.sharedEventId = string(p, v, once(f, 14, name), f);
                case "vpcEndpointId" -> f.vpcEndpointId = string(p, v, once(f, 15, name), f);
                case "readOnly" -> f.readOnly = bool(p, v, once(f, 16, name), f);
                case "managementEvent" -> f.managementEvent = bool(p, v, once(f, 17, name), f);
                case "userIdentity" -> f.userIdentity = userIdentity(p, v, once(f, 18, name), f);
                case "resources" -> resources(p, v, once(f, 19, name), f);
                case "requestParameters" -> f.absoluteSpans[0] = objectSpan(p, v, once(f, 20, name), f);
                case "responseElements" -> f.absoluteSpans[1] = objectSpan(p, v, once(f, 21, name), f);
                case "additionalEventData" -> f.absoluteSpans[2] = objectSpan(p, v, once(f, 22, name), f);
                case "serviceEventDetails" -> f.absoluteSpans[3] = objectSpan(p, v, once(f, 23, name), f);
                case "Records", "Events" -> {
                    if (handler != null && v == JsonToken.START_ARRAY) {
                        f.wrapperSeen = true;
                        handler.onArray(name, p);
                    } else {
                        skip(p, f);
                    }
                }
                case "detail" -> {
                    wrapperOnce(f, 24, name);
                    if (v == JsonToken.START_OBJECT) {
                        f.detailSpan = span(p, v, f);
                    } else {
                        skip(p, f);
                    }
                }
                case "detail-type" -> {
                    f.envelopeSeen = true;
                    skip(p, f);
                }
                case "CloudTrailEvent" -> {
                    wrapperOnce(f, 25, name);
                    if (v == JsonToken.VALUE_STRING) {
                        f.embeddedRecord = p.getText();
                    } else {
                        skip(p, f);
                    }
                }
                case "digestStartTime", "digestEndTime", "logFiles", "previousDigestSignature" -> {
                    f.digest = true;
                    skip(p, f);
                }
                default -> skip(p, f);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedEventException("unexpected " + describe(t) + " inside an object");
        }
        return f;
    }

    /** Notes that record field {@code bit} was seen; a second time is a problem. Returns the name. */
    private static String once(Fields f, int bit, String name) {
        long mask = 1L << bit;
        if ((f.seen & mask) != 0) {
            f.problem("duplicate field '" + name + "'");
        }
        f.seen |= mask;
        return name;
    }

    private static void wrapperOnce(Fields f, int bit, String name) {
        long mask = 1L << bit;
        if ((f.seen & mask) != 0 && f.duplicateWrapperField == null) {
            f.duplicateWrapperField = name;
        }
        f.seen |= mask;
    }

    /**
     * Skips the value the parser is on, as {@link JsonParser#skipChildren()} does, noting a problem
     * when it nests deeper than {@link Json#MAX_NESTING_DEPTH} levels counted from the record's root.
     */
    private static void skip(JsonParser p, Fields f) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int depth = p.getParsingContext().getNestingDepth() - f.baseDepth + 1;
        int open = 1;
        checkDepth(depth, f);
        while (open > 0) {
            JsonToken n = p.nextToken();
            if (n == null) {
                return; // the caller reports the end of input
            }
            if (n == JsonToken.START_OBJECT || n == JsonToken.START_ARRAY) {
                open++;
                depth++;
                checkDepth(depth, f);
            } else if (n == JsonToken.END_OBJECT || n == JsonToken.END_ARRAY) {
                open--;
                depth--;
            }
        }
    }

    private static void checkDepth(int depth, Fields f) {
        if (depth > Json.MAX_NESTING_DEPTH) {
            f.problem("JSON nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        }
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
        if (f.eventTime.isBefore(MIN_EVENT_TIME) || !f.eventTime.isBefore(END_EVENT_TIME)) {
            throw new MalformedEventException("eventTime '" + truncate(f.eventTimeText, 40)
                    + "' is out of range: records must fall between 1970-01-01 and 9999-12-31");
        }
        int invalid = f.asciiOnly ? -1 : invalidUtf8At(raw);
        if (invalid >= 0) {
            // Jackson decodes overlong forms and encoded surrogates without complaint; other readers refuse them
            throw new MalformedEventException("not UTF-8: invalid byte sequence at byte " + invalid + " of the record");
        }
        f.raw = raw;
        if (f.eventId == null || f.eventId.isEmpty()) {
            f.eventId = derivedId(raw);
            f.eventIdDerived = true;
        }
        if (f.textSpans != null) {
            for (int k = 0; k < f.textSpans.length; k++) {
                if (f.textSpans[k] >= 0) {
                    f.textSpans[k] -= (int) start;
                }
            }
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

    /**
     * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
     * overlong forms, no surrogates, nothing above U+10FFFF), or -1 when all of {@code b} is UTF-8.
     */
    public static int invalidUtf8At(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            // CloudTrail records are nearly all ASCII: step over 32 ASCII bytes at a time (four words, one
            // branch), then eight
            while (i + 32 <= n && (((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8) | (long) LONGS.get(b, i + 16)
                    | (long) LONGS.get(b, i + 24)) & 0x8080808080808080L) == 0) {
                i += 32;
            }
            while (i + 8 <= n && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i >= n) {
                break;
            }
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int len;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                if (c == 0xE0) {
                    min2 = 0xA0; // overlong
                } else if (c == 0xED) {
                    max2 = 0x9F; // surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                if (c == 0xF0) {
                    min2 = 0x90; // overlong
                } else if (c == 0xF4) {
                    max2 = 0x8F; // above U+10FFFF
                }
            } else {
                return i;
            }
            if (i + len > n) {
                return i;
            }
            int second = b[i + 1] & 0xff;
            if (second < min2 || second > max2) {
                return i;
            }
            for (int k = 2; k < len; k++) {
                int next = b[i + k] & 0xff;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += len;
        }
        return -1;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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

    /** Remembers where an object lies (absolute byte offsets, end exclusive); the parser is on START_OBJECT. */
    private static long[] span(JsonParser p, JsonToken v, Fields f) throws IOException {
        long begin = p.currentTokenLocation().getByteOffset();
        skip(p, f);
        return new long[] {begin, p.currentTokenLocation().getByteOffset() + 1};
    }

    /**
     * The span of {@code requestParameters} and the other sub-objects the model parses lazily: null for
     * a JSON null; anything but an object is a problem (CloudTrail writes an object or null).
     */
    private static long[] objectSpan(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            f.problem("field '" + name + "' must be an object, found " + describe(v));
            skip(p, f);
            return null;
        }
        return span(p, v, f);
    }

    private static String requiredString(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v != JsonToken.VALUE_NULL) {
            f.problem("field '" + name + "' must be a string, found " + describe(v));
            skip(p, f);
        }
        return null;
    }

    /** An optional string field; a number or boolean is taken as its JSON text, a container is a problem. */
    private static String string(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        switch (v) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE:
                return p.getText();
            case VALUE_NULL:
                return null;
            default:
                f.problem("field '" + name + "' must be a string, found " + describe(v));
                skip(p, f);
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
                skip(p, f);
                return null;
        }
    }

    /** Notes a sub-field seen in {@code seen[0]}; a second time is a problem. Returns the qualified name. */
    private static String once(long[] seen, int bit, String qualified, Fields f) {
        long mask = 1L << bit;
        if ((seen[0] & mask) != 0) {
            f.problem("duplicate field '" + qualified + "'");
        }
        seen[0] |= mask;
        return qualified;
    }

    private static UserIdentity userIdentity(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            f.problem("field '" + name + "' must be an object, found " + describe(v));
            skip(p, f);
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
        long[] seen = new long[1];
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "type" -> type = string(p, value, once(seen, 0, "userIdentity.type", f), f);
                case "principalId" -> principalId = string(p, value, once(seen, 1, "userIdentity.principalId", f), f);
                case "arn" -> arn = string(p, value, once(seen, 2, "userIdentity.arn", f), f);
                case "accountId" -> accountId = string(p, value, once(seen, 3, "userIdentity.accountId", f), f);
                case "accessKeyId" -> accessKeyId = string(p, value, once(seen, 4, "userIdentity.accessKeyId", f), f);
                case "userName" -> userName = string(p, value, once(seen, 5, "userIdentity.userName", f), f);
                case "invokedBy" -> invokedBy = string(p, value, once(seen, 6, "userIdentity.invokedBy", f), f);
                case "sessionContext" -> sessionContext(p, value, issuer,
                        once(seen, 7, "userIdentity.sessionContext", f), f);
                default -> skip(p, f);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedEventException("unexpected " + describe(t) + " inside 'userIdentity'");
        }
        return new UserIdentity(type, principalId, arn, accountId, accessKeyId, userName, invokedBy,
                issuer[0], issuer[1], issuer[2]);
    }

    /** Reads {@code sessionContext.sessionIssuer}'s type, arn and accountId into {@code issuer}. */
    private static void sessionContext(JsonParser p, JsonToken v, String[] issuer, String name, Fields f)
            throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            f.problem("field '" + name + "' must be an object, found " + describe(v));
            skip(p, f);
            return;
        }
        long[] seen = new long[1];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (!"sessionIssuer".equals(field)) {
                skip(p, f);
                continue;
            }
            String qualified = once(seen, 0, name + ".sessionIssuer", f);
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            if (value != JsonToken.START_OBJECT) {
                f.problem("field '" + qualified + "' must be an object, found " + describe(value));
                skip(p, f);
                continue;
            }
            long[] issuerSeen = new long[1];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken fv = p.nextToken();
                switch (member) {
                    case "type" -> issuer[0] = string(p, fv, once(issuerSeen, 0, "sessionIssuer.type", f), f);
                    case "arn" -> issuer[1] = string(p, fv, once(issuerSeen, 1, "sessionIssuer.arn", f), f);
                    case "accountId" -> issuer[2] = string(p, fv, once(issuerSeen, 2, "sessionIssuer.accountId", f), f);
                    default -> skip(p, f);
                }
            }
        }
    }

    private static void resources(JsonParser p, JsonToken v, String name, Fields f) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_ARRAY) {
            f.problem("field '" + name + "' must be an array, found " + describe(v));
            skip(p, f);
            return;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                String arn = null;
                String lowerArn = null;
                String accountId = null;
                String type = null;
                long[] seen = new long[1];
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "ARN" -> arn = string(p, value, once(seen, 0, "resources.ARN", f), f);
                        case "arn" -> lowerArn = string(p, value, once(seen, 1, "resources.arn", f), f);
                        case "accountId" -> accountId = string(p, value, once(seen, 2, "resources.accountId", f), f);
                        case "type" -> type = string(p, value, once(seen, 3, "resources.type", f), f);
                        default -> skip(p, f);
                    }
                }
                f.addResource(new Resource(arn != null ? arn : lowerArn, accountId, type));
            } else if (t == null) {
                throw new MalformedEventException("input ends inside 'resources'");
            } else {
                f.problem("entries of 'resources' must be objects, found " + describe(t));
                skip(p, f);
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
        if (e instanceof StreamConstraintsException sce && sce.getOriginalMessage() != null
                && sce.getOriginalMessage().contains("nesting depth")) {
            return "JSON nested deeper than " + MAX_PARSER_DEPTH + " levels";
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            String where = jpe.getLocation() == null ? "" : " at byte " + jpe.getLocation().getByteOffset();
            String m = jpe.getOriginalMessage() == null ? null
                    : START_MARKER.matcher(jpe.getOriginalMessage()).replaceAll("");
            return oneLine(m) + where;
        }
        if (e.getMessage() == null) {
            return e instanceof EOFException ? "unexpected end of input" : e.getClass().getSimpleName();
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
