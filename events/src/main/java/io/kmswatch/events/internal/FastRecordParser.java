package io.kmswatch.events.internal;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.MalformedEventException;
import io.kmswatch.events.Resource;
import io.kmswatch.events.UserIdentity;
import io.kmswatch.events.internal.RecordParser.Fields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the shape nearly all CloudTrail input has — an S3 log file {@code {"Records":[…]}} of well-formed
 * records, or one record on its own — straight from its bytes, without a tokenizer: field names are
 * matched as bytes, only the values the model keeps are decoded, and the sub-objects kept as spans
 * ({@code requestParameters}, …) and every field the model does not read are stepped over.
 *
 * <p>It is exact or it declines. JSON syntax is checked in full, in the parts it steps over too, with
 * Jackson's defaults (no comments, no trailing commas, no unescaped control characters, no leading
 * zeros, only the standard escapes), so what it accepts Jackson reads the same way. Anything it is not
 * sure of — a number or boolean where a string belongs, a duplicated field, a wrapper field inside a
 * record, nesting near {@link Json#MAX_NESTING_DEPTH}, a record {@link RecordParser#finish} refuses,
 * bad syntax anywhere — makes it give up, and the caller reads the same bytes with the streaming
 * {@link RecordParser}, whose answers and rejection reasons stay the reference. Property tests hold the
 * two readers to the same result on generated and mutated input.
 */
public final class FastRecordParser {
    /** Little-endian eight-byte reads (declared before the name tables, which use it). */
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** Containers nested deeper than this (the record itself is level 1) are left to the streaming reader. */
    private static final int MAX_DEPTH = Json.MAX_NESTING_DEPTH - 8;
    /**
     * Records within this many bytes of the size limit are left to the streaming reader: it measures a record
     * by what it has buffered (which runs ahead of the record's end), so near the limit only it knows its answer.
     */
    private static final int SIZE_MARGIN = 256 * 1024;
    /** Numbers longer than this are left to the streaming reader (Jackson bounds number length). */
    private static final int MAX_NUMBER_CHARS = 100;

    private static final int EVENT_ID = 0;
    private static final int EVENT_TIME = 1;
    private static final int EVENT_VERSION = 2;
    private static final int EVENT_SOURCE = 3;
    private static final int EVENT_NAME = 4;
    private static final int EVENT_TYPE = 5;
    private static final int EVENT_CATEGORY = 6;
    private static final int AWS_REGION = 7;
    private static final int SOURCE_IP = 8;
    private static final int USER_AGENT = 9;
    private static final int ERROR_CODE = 10;
    private static final int ERROR_MESSAGE = 11;
    private static final int REQUEST_ID = 12;
    private static final int RECIPIENT_ACCOUNT = 13;
    private static final int SHARED_EVENT_ID = 14;
    private static final int VPC_ENDPOINT = 15;
    private static final int READ_ONLY = 16;
    private static final int MANAGEMENT_EVENT = 17;
    private static final int USER_IDENTITY = 18;
    private static final int RESOURCES = 19;
    private static final int REQUEST_PARAMETERS = 20;
    private static final int RESPONSE_ELEMENTS = 21;
    private static final int ADDITIONAL_EVENT_DATA = 22;
    private static final int SERVICE_EVENT_DETAILS = 23;
    /** Names with a meaning of their own to the streaming reader (wrappers, envelopes, digests). */
    private static final int WRAPPER = 24;

    private static final NameTable RECORD_FIELDS = new NameTable(
            "eventID", "eventTime", "eventVersion", "eventSource", "eventName", "eventType", "eventCategory",
            "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestID",
            "recipientAccountId", "sharedEventID", "vpcEndpointId", "readOnly", "managementEvent", "userIdentity",
            "resources", "requestParameters", "responseElements", "additionalEventData", "serviceEventDetails",
            "Records", "Events", "detail", "detail-type", "CloudTrailEvent", "digestStartTime", "digestEndTime",
            "logFiles", "previousDigestSignature");
    private static final NameTable IDENTITY_FIELDS = new NameTable(
            "type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy", "sessionContext");
    private static final int SESSION_CONTEXT = 7;
    private static final NameTable SESSION_FIELDS = new NameTable("sessionIssuer");
    private static final NameTable ISSUER_FIELDS = new NameTable("type", "arn", "accountId");
    private static final NameTable RESOURCE_FIELDS = new NameTable("ARN", "arn", "accountId", "type");
    private static final byte[] RECORDS = "\"Records\"".getBytes(StandardCharsets.US_ASCII);

    /** Abandons a read; the caller falls back to the streaming reader. Carries no stack. */
    private static final class Decline extends RuntimeException {
        Decline() {
            super(null, null, false, false);
        }
    }

    private static final Decline DECLINE = new Decline();

    private final byte[] b;
    private final int end;
    private int i;
    /** Records handed to the sink by {@link #readRecordsFile}. */
    private long emitted;
    /**
     * A byte above 0x7F was met since the current record began. Outside strings such a byte ends the read
     * (it is no JSON syntax), so a record without one is ASCII and needs no UTF-8 check.
     */
    private boolean nonAscii;
    /** The current record has a member name with a dot that no table knows (see {@code Fields.verbatim}). */
    private boolean dottedName;

    private FastRecordParser(byte[] b, int end) {
        this.b = b;
        this.end = end;
    }

    /**
     * The fields of the one record {@code json} holds (whitespace around it allowed), spans absolute
     * (the record starts at offset 0), or null when the streaming reader must decide.
     */
    public static Fields record(byte[] json) {
        FastRecordParser p = new FastRecordParser(json, json.length);
        try {
            p.ws();
            if (p.at(p.i) != '{') {
                return null;
            }
            Fields f = p.record();
            f.asciiOnly = !p.nonAscii;
            p.ws();
            return p.i == p.end && f.looksLikeRecord() ? f : null;
        } catch (Decline d) {
            return null;
        }
    }

    /**
     * Reads an S3 log file {@code {"Records":[…]}} held in {@code b[0, n)}, handing each record to the
     * sink with the location the streaming reader gives it ({@code name:record N}).
     *
     * @return -1 when the whole file was read; otherwise the number of records already handed over
     *     before it met something it leaves to the streaming reader (which must then skip that many)
     */
    public static long readRecordsFile(byte[] b, int n, String name, int maxRecordBytes, CloudTrailCodec.Sink sink) {
        FastRecordParser p = new FastRecordParser(b, n);
        try {
            p.recordsFile(name, maxRecordBytes, sink);
            return -1;
        } catch (Decline d) {
            return p.emitted;
        }
    }

    private void recordsFile(String name, int maxRecordBytes, CloudTrailCodec.Sink sink) {
        ws();
        if (at(i) != '{') {
            throw DECLINE;
        }
        i++;
        ws();
        if (i + RECORDS.length > end || !Arrays.equals(b, i, i + RECORDS.length, RECORDS, 0, RECORDS.length)) {
            throw DECLINE;
        }
        i += RECORDS.length;
        ws();
        expect(':');
        ws();
        expect('[');
        ws();
        if (at(i) == ']') {
            i++;
        } else {
            long n = 0;
            while (true) {
                if (at(i) != '{') {
                    throw DECLINE;
                }
                int start = i;
                nonAscii = false;
                Fields f = record();
                f.asciiOnly = !nonAscii;
                if (!f.looksLikeRecord() || i - start > maxRecordBytes - SIZE_MARGIN) {
                    throw DECLINE;
                }
                CloudTrailEvent event;
                try {
                    event = RecordParser.finish(f, Arrays.copyOfRange(b, start, i), start);
                } catch (MalformedEventException e) {
                    throw DECLINE; // the streaming reader words the rejection
                }
                n++;
                sink.record(event, name + ":record " + n);
                emitted = n;
                ws();
                byte c = at(i++);
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw DECLINE;
                }
                ws();
            }
        }
        ws();
        expect('}');
        ws();
        if (i != end) {
            throw DECLINE;
        }
    }

    /** The record object at {@code i}; leaves {@code i} after its closing brace. */
    private Fields record() {
        Fields f = new Fields();
        dottedName = false;
        long seen = 0;
        if (enter('}')) {
            int field = NameTable.START;
            do {
                field = name(RECORD_FIELDS, field);
                if (field >= 0) {
                    if (field >= WRAPPER) {
                        throw DECLINE;
                    }
                    long bit = 1L << field;
                    if ((seen & bit) != 0) {
                        throw DECLINE; // a duplicate: the streaming reader rejects it with its name
                    }
                    seen |= bit;
                }
                switch (field) {
                    case EVENT_ID -> f.eventId = string();
                    case EVENT_TIME -> f.eventTimeText = string();
                    case EVENT_VERSION -> f.eventVersion = string();
                    case EVENT_SOURCE -> f.eventSource = string();
                    case EVENT_NAME -> f.eventName = string();
                    case EVENT_TYPE -> f.eventType = string();
                    case EVENT_CATEGORY -> lazyText(f, Fields.TEXT_EVENT_CATEGORY);
                    case AWS_REGION -> f.awsRegion = string();
                    case SOURCE_IP -> f.sourceIpAddress = string();
                    case USER_AGENT -> lazyText(f, Fields.TEXT_USER_AGENT);
                    case ERROR_CODE -> f.errorCode = string();
                    case ERROR_MESSAGE -> lazyText(f, Fields.TEXT_ERROR_MESSAGE);
                    case REQUEST_ID -> lazyText(f, Fields.TEXT_REQUEST_ID);
                    case RECIPIENT_ACCOUNT -> f.recipientAccountId = string();
                    case SHARED_EVENT_ID -> lazyText(f, Fields.TEXT_SHARED_EVENT_ID);
                    case VPC_ENDPOINT -> lazyText(f, Fields.TEXT_VPC_ENDPOINT_ID);
                    case READ_ONLY -> f.readOnly = bool();
                    case MANAGEMENT_EVENT -> f.managementEvent = bool();
                    case USER_IDENTITY -> f.userIdentity = userIdentity();
                    case RESOURCES -> resources(f);
                    case REQUEST_PARAMETERS, RESPONSE_ELEMENTS, ADDITIONAL_EVENT_DATA, SERVICE_EVENT_DETAILS ->
                            f.absoluteSpans[field - REQUEST_PARAMETERS] = span();
                    default -> skipValue(2);
                }
            } while (more('}'));
        }
        f.verbatim = !dottedName;
        return f;
    }

    private UserIdentity userIdentity() {
        if (isNull()) {
            return null;
        }
        if (at(i) != '{') {
            throw DECLINE;
        }
        String[] v = new String[7];
        String[] issuer = new String[3];
        long seen = 0;
        if (enter('}')) {
            int field = NameTable.START;
            do {
                field = name(IDENTITY_FIELDS, field);
                if (field < 0) {
                    skipValue(3);
                    continue;
                }
                seen = once(seen, field);
                if (field == SESSION_CONTEXT) {
                    sessionContext(issuer);
                } else {
                    v[field] = string();
                }
            } while (more('}'));
        }
        return new UserIdentity(v[0], v[1], v[2], v[3], v[4], v[5], v[6], issuer[0], issuer[1], issuer[2]);
    }

    private void sessionContext(String[] issuer) {
        if (isNull()) {
            return;
        }
        if (at(i) != '{') {
            throw DECLINE;
        }
        long seen = 0;
        if (enter('}')) {
            int member = NameTable.START;
            do {
                member = name(SESSION_FIELDS, member);
                if (member < 0) {
                    skipValue(4);
                    continue;
                }
                seen = once(seen, 0);
                if (isNull()) {
                    continue;
                }
                if (at(i) != '{') {
                    throw DECLINE;
                }
                long issuerSeen = 0;
                if (enter('}')) {
                    int field = NameTable.START;
                    do {
                        field = name(ISSUER_FIELDS, field);
                        if (field < 0) {
                            skipValue(5);
                            continue;
                        }
                        issuerSeen = once(issuerSeen, field);
                        issuer[field] = string();
                    } while (more('}'));
                }
            } while (more('}'));
        }
    }

    private void resources(Fields f) {
        if (isNull()) {
            return;
        }
        if (at(i) != '[') {
            throw DECLINE;
        }
        if (!enter(']')) {
            return;
        }
        do {
            if (at(i) != '{') {
                throw DECLINE;
            }
            String[] v = new String[4];
            long seen = 0;
            if (enter('}')) {
                int field = NameTable.START;
                do {
                    field = name(RESOURCE_FIELDS, field);
                    if (field < 0) {
                        skipValue(4);
                        continue;
                    }
                    seen = once(seen, field);
                    v[field] = string();
                } while (more('}'));
            }
            f.addResource(new Resource(v[0] != null ? v[0] : v[1], v[2], v[3]));
        } while (more(']'));
    }

    private static long once(long seen, int field) {
        long bit = 1L << field;
        if ((seen & bit) != 0) {
            throw DECLINE;
        }
        return seen | bit;
    }

    /** An object kept as a span (absolute, end exclusive), or null for JSON null. */
    private long[] span() {
        if (isNull()) {
            return null;
        }
        if (at(i) != '{') {
            throw DECLINE;
        }
        int start = i;
        skipValue(2);
        return new long[] {start, i};
    }

    /** A string or null; anything else is left to the streaming reader (it converts or rejects). */
    private String string() {
        byte c = at(i);
        if (c == '"') {
            return stringValue();
        }
        if (isNull()) {
            return null;
        }
        throw DECLINE;
    }

    /**
     * A string field that few readers of an event look at: only where it lies is noted (absolute offsets of
     * its content), and {@link io.kmswatch.events.CloudTrailEvent} decodes it on first use. A string with
     * escapes is decoded now.
     */
    private void lazyText(Fields f, int slot) {
        byte c = at(i);
        if (c != '"') {
            if (isNull()) {
                return;
            }
            throw DECLINE;
        }
        int start = i + 1;
        int k = plainRun(start);
        while (true) {
            c = at(k);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                f.text(slot, escapedString(start));
                return;
            }
            if (c < 0x20) {
                if (c >= 0) {
                    throw DECLINE;
                }
                nonAscii = true;
            }
            k++;
        }
        i = k + 1;
        f.textSpan(slot, start, k);
    }

    private Boolean bool() {
        byte c = at(i);
        if (c == 't') {
            literal("true");
            return Boolean.TRUE;
        }
        if (c == 'f') {
            literal("false");
            return Boolean.FALSE;
        }
        if (isNull()) {
            return null;
        }
        throw DECLINE;
    }

    /** Consumes a JSON null if one is at {@code i}. */
    private boolean isNull() {
        if (at(i) != 'n') {
            return false;
        }
        literal("null");
        return true;
    }

    private void literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (at(i) != word.charAt(k)) {
                throw DECLINE;
            }
            i++;
        }
    }

    /** At '{' or '[': enters the container; false (with {@code close} consumed) when it is empty. */
    private boolean enter(char close) {
        i++;
        ws();
        if (at(i) == close) {
            i++;
            return false;
        }
        return true;
    }

    /** After a member or element: true when another follows, false after the container's {@code close}. */
    private boolean more(char close) {
        ws();
        byte c = at(i++);
        if (c == ',') {
            ws();
            return true;
        }
        if (c == close) {
            return false;
        }
        throw DECLINE;
    }

    /**
     * Reads a member name and its colon, leaving {@code i} on the value; the name's index in {@code t} or -1.
     * {@code previous} is what this call returned for the member before ({@link NameTable#START} for the
     * first): CloudTrail writes a record's fields in the same order every time, so the name that followed it
     * last time is tried first, as bytes, before the name is scanned and looked up.
     */
    private int name(NameTable t, int previous) {
        if (at(i) != '"') {
            throw DECLINE;
        }
        int start = i + 1;
        int guess = t.predicted(previous);
        if (guess >= 0) {
            int close = start + t.length(guess);
            if (close < end && b[close] == '"' && t.matches(guess, b, start, close)) {
                i = close + 1;
                ws();
                expect(':');
                ws();
                return guess;
            }
        }
        int k = plainRun(start);
        while (true) {
            byte c = at(k);
            if (c == '"') {
                break;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                throw DECLINE; // escaped names are rare enough to leave to the streaming reader
            }
            if (c < 0) {
                nonAscii = true;
            }
            k++;
        }
        i = k + 1;
        ws();
        expect(':');
        ws();
        int found = t.find(b, start, k);
        if (found >= 0) {
            t.learn(previous, found);
        } else if (!dottedName) {
            for (int x = start; x < k; x++) {
                if (b[x] == '.') {
                    dottedName = true;
                    break;
                }
            }
        }
        return found;
    }

    /** Steps over one value, checking its syntax; {@code depth} is the level a container here would have. */
    private void skipValue(int depth) {
        byte c = at(i);
        switch (c) {
            case '"' -> skipString();
            case '{' -> {
                if (depth > MAX_DEPTH) {
                    throw DECLINE;
                }
                if (enter('}')) {
                    do {
                        if (at(i) != '"') {
                            throw DECLINE;
                        }
                        skipString();
                        ws();
                        expect(':');
                        ws();
                        skipValue(depth + 1);
                    } while (more('}'));
                }
            }
            case '[' -> {
                if (depth > MAX_DEPTH) {
                    throw DECLINE;
                }
                if (enter(']')) {
                    do {
                        skipValue(depth + 1);
                    } while (more(']'));
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /** JSON's number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void number() {
        int start = i;
        if (at(i) == '-') {
            i++;
        }
        byte c = at(i);
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            i++;
            digits();
        } else {
            throw DECLINE;
        }
        if (i < end && b[i] == '.') {
            i++;
            if (!isDigit(at(i))) {
                throw DECLINE;
            }
            digits();
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (at(i) == '+' || b[i] == '-') {
                i++;
            }
            if (!isDigit(at(i))) {
                throw DECLINE;
            }
            digits();
        }
        if (i - start > MAX_NUMBER_CHARS) {
            throw DECLINE;
        }
    }

    private void digits() {
        while (i < end && isDigit(b[i])) {
            i++;
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Steps over a string at {@code i}, checking its escapes and that it holds no raw control character. */
    private void skipString() {
        int k = plainRun(i + 1);
        while (true) {
            byte c = at(k);
            if (c == '"') {
                i = k + 1;
                return;
            }
            if (c == '\\') {
                k = escapeEnd(k);
            } else if (c >= 0 && c < 0x20) {
                throw DECLINE;
            } else {
                if (c < 0) {
                    nonAscii = true;
                }
                k++;
            }
        }
    }

    /** The index after the escape sequence at {@code k} (a backslash). */
    private int escapeEnd(int k) {
        byte e = at(k + 1);
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return k + 2;
            }
            case 'u' -> {
                for (int h = k + 2; h < k + 6; h++) {
                    if (hex(at(h)) < 0) {
                        throw DECLINE;
                    }
                }
                return k + 6;
            }
            default -> throw DECLINE;
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first quote, backslash, control character or non-ASCII byte from {@code k} on, found
     * eight bytes at a time; within the last seven bytes of the input, the index where fewer than eight
     * remain. The caller looks at bytes one by one from there.
     */
    private int plainRun(int k) {
        while (k + 8 <= end) {
            long w = (long) LONGS.get(b, k);
            long quote = w ^ 0x2222222222222222L;
            long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
            // a byte is zero (quote/backslash) or below 0x20 when subtracting borrows into its high bit
            long special = (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | (w - 0x2020202020202020L) | w)
                    & HIGHS;
            if (special != 0) {
                // a borrow only runs towards higher bytes, so the lowest flagged byte is the first special one
                // (little-endian: the lowest byte is the first)
                return k + (Long.numberOfTrailingZeros(special) >>> 3);
            }
            k += 8;
        }
        return k;
    }

    /** Decodes the string at {@code i}. UTF-8 well-formedness is checked over the whole record by finish. */
    private String stringValue() {
        int start = i + 1;
        int k = plainRun(start);
        boolean ascii = true;
        while (true) {
            byte c = at(k);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                return escapedString(start);
            }
            if (c < 0x20) {
                if (c >= 0) {
                    throw DECLINE;
                }
                ascii = false;
                nonAscii = true;
            }
            k++;
        }
        i = k + 1;
        return new String(b, start, k - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private String escapedString(int start) {
        StringBuilder sb = new StringBuilder();
        int run = start;
        int k = start;
        while (true) {
            byte c = at(k);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                // an escape starts with an ASCII byte: a run never ends inside a UTF-8 sequence
                sb.append(new String(b, run, k - run, StandardCharsets.UTF_8));
                int next = escapeEnd(k);
                byte e = b[k + 1];
                sb.append(switch (e) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'u' -> (char) ((hex(b[k + 2]) << 12) | (hex(b[k + 3]) << 8) | (hex(b[k + 4]) << 4)
                            | hex(b[k + 5]));
                    default -> (char) e;
                });
                k = next;
                run = k;
            } else if (c >= 0 && c < 0x20) {
                throw DECLINE;
            } else {
                if (c < 0) {
                    nonAscii = true;
                }
                k++;
            }
        }
        sb.append(new String(b, run, k - run, StandardCharsets.UTF_8));
        i = k + 1;
        return sb.toString();
    }

    private void expect(char c) {
        if (at(i) != c) {
            throw DECLINE;
        }
        i++;
    }

    private void ws() {
        while (i < end) {
            byte c = b[i];
            // CloudTrail writes no whitespace between tokens: one comparison says so
            if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
                return;
            }
            i++;
        }
    }

    private byte at(int k) {
        if (k >= end) {
            throw DECLINE;
        }
        return b[k];
    }

    /**
     * Field names matched as bytes: open addressing on length and three bytes, then checked in full,
     * eight bytes at a time.
     */
    static final class NameTable {
        /** The {@code previous} of the first member of an object. */
        static final int START = -2;
        private final byte[][] names;
        /**
         * Per previous member ({@code previous + 2}: the start, an unknown name, then each name): the name
         * that followed it when last seen, plus one (0: none yet). Shared by every reading thread: a lost or
         * torn update only costs a guess, since a guess is always checked in full.
         */
        private final byte[] follows;
        /** Per name: its bytes as little-endian words (the last one zero-padded). */
        private final long[][] words;
        /** Per name: the mask of a name's bytes in its last word. */
        private final long[] lastMask;
        private final int[] slots;
        private final int mask;

        NameTable(String... names) {
            this.names = new byte[names.length][];
            this.words = new long[names.length][];
            this.lastMask = new long[names.length];
            int size = Integer.highestOneBit(Math.max(4, names.length * 4) - 1) << 1;
            this.slots = new int[size];
            this.follows = new byte[names.length + 2];
            this.mask = size - 1;
            Arrays.fill(slots, -1);
            for (int n = 0; n < names.length; n++) {
                byte[] name = names[n].getBytes(StandardCharsets.UTF_8);
                this.names[n] = name;
                byte[] padded = Arrays.copyOf(name, (name.length + 7) / 8 * 8);
                long[] w = new long[padded.length / 8];
                for (int j = 0; j < w.length; j++) {
                    w[j] = (long) LONGS.get(padded, j * 8);
                }
                this.words[n] = w;
                int rest = name.length % 8;
                this.lastMask[n] = rest == 0 ? -1L : (1L << (8 * rest)) - 1;
                int s = hash(name, 0, name.length) & mask;
                while (slots[s] >= 0) {
                    s = (s + 1) & mask;
                }
                slots[s] = n;
            }
        }

        /** The name that followed {@code previous} last time, or -1. */
        int predicted(int previous) {
            return follows[previous + 2] - 1;
        }

        void learn(int previous, int next) {
            if (follows[previous + 2] != next + 1) {
                follows[previous + 2] = (byte) (next + 1);
            }
        }

        int length(int n) {
            return names[n].length;
        }

        /** The index of the name in {@code b[from, to)}, or -1. */
        int find(byte[] b, int from, int to) {
            if (to == from) {
                return -1;
            }
            int s = hash(b, from, to) & mask;
            int n;
            while ((n = slots[s]) >= 0) {
                if (names[n].length == to - from && matches(n, b, from, to)) {
                    return n;
                }
                s = (s + 1) & mask;
            }
            return -1;
        }

        /** True when {@code b[from, to)} is name {@code n}, whose length {@code to - from} is. */
        boolean matches(int n, byte[] b, int from, int to) {
            long[] w = words[n];
            int last = w.length - 1;
            for (int j = 0; j < last; j++) {
                if ((long) LONGS.get(b, from + 8 * j) != w[j]) {
                    return false;
                }
            }
            int at = from + 8 * last;
            if (at + 8 <= b.length) {
                return ((long) LONGS.get(b, at) & lastMask[n]) == w[last];
            }
            byte[] name = names[n];
            for (int k = 8 * last; k < name.length; k++) {
                if (name[k] != b[from + k]) {
                    return false;
                }
            }
            return true;
        }

        private static int hash(byte[] b, int from, int to) {
            int len = to - from;
            int h = len * 31 + b[from];
            h = h * 31 + b[to - 1];
            h = h * 31 + b[from + (len >> 1)];
            return h ^ (h >>> 7);
        }
    }
}
