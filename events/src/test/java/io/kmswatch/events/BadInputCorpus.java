package io.kmswatch.events;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The bad-input corpus: every file under {@code src/test/resources/bad-input/} plus the cases made at
 * test time (gzip damage, 10 MB records, binary and non-UTF-8 bytes, so the repository stays small),
 * each with what the codec must make of it: the eventIDs it reads, in order, and every rejection's
 * location and reason. Good records sit beside the bad ones, so a case also shows what still comes
 * through. Locations are written relative to the case: {@code ""} is the file itself,
 * {@code ":record 2"}, {@code ":line 2"}, {@code "!entry"}.
 *
 * <p>What is refused and what is accepted, in short: anything that is not UTF-8 JSON holding
 * CloudTrail records is one rejection naming what it is; a record with a field of the wrong JSON
 * type, a repeated field, nesting deeper than 200 levels, no eventTime, an eventTime that is not an
 * ISO-8601 instant (with {@code Z}, a valid offset, or none, read as UTC) or one outside 1970–9999 is
 * rejected alone; damage to the JSON syntax itself (truncation, a NUL or non-UTF-8 byte, a corrupt
 * gzip stream) loses the rest of a JSON document but not the records before it, and only the
 * damaged line of NDJSON. Accepted as they are: records from the future (the codec has no clock;
 * ingest flags them), numbers or booleans where a string is expected (kept as their JSON text),
 * explicit nulls, escaped control characters, repeated keys inside {@code requestParameters} (the
 * raw record is kept; the lazily parsed tree holds the last), a repeated {@code Records} array (both
 * are read).
 */
public final class BadInputCorpus {
    /** The directory of committed cases on the test classpath. */
    public static final String RESOURCE_DIR = "/bad-input/";
    /** The codec's default record limit, as it appears in reasons. */
    private static final int LIMIT = CloudTrailCodec.DEFAULT_MAX_RECORD_BYTES;
    private static final String NOT_A_RECORD = "not a CloudTrail record: no eventTime, eventName, eventSource or eventID";
    private static final String RANGE = "' is out of range: records must fall between 1970-01-01 and 9999-12-31";

    private BadInputCorpus() {
    }

    /**
     * One expected rejection: location relative to the case ({@code null}: anywhere in it), and the
     * reason (whole, or its start).
     */
    public record Rejection(String location, String reason, boolean prefixOnly) {
        public boolean matches(Rejected r, String name) {
            boolean where = location == null ? r.location().startsWith(name) : r.location().equals(name + location);
            return where && (prefixOnly ? r.reason().startsWith(reason) : r.reason().equals(reason));
        }

        @Override
        public String toString() {
            return "[" + (location == null ? "*" : location) + "] " + reason + (prefixOnly ? "…" : "");
        }
    }

    /** One corpus entry. */
    public static final class Case {
        private final String name;
        private final Supplier<byte[]> bytes;
        private final List<String> records = new ArrayList<>();
        private final List<Rejection> rejections = new ArrayList<>();
        private boolean recordsMayBeAPrefix;
        private int minimumRecords;

        private Case(String name, Supplier<byte[]> bytes) {
            this.name = name;
            this.bytes = bytes;
        }

        /** The file name, which the cases also use as the codec's source name. */
        public String name() {
            return name;
        }

        /** The content (made on each call for generated cases). */
        public byte[] bytes() {
            return bytes.get();
        }

        /** The eventIDs the codec must read, in order. */
        public List<String> records() {
            return List.copyOf(records);
        }

        /** True when damage may cut the records short (corrupt deflate data): they are a prefix of {@link #records()}. */
        public boolean recordsMayBeAPrefix() {
            return recordsMayBeAPrefix;
        }

        /** Every rejection the codec must report, in order. */
        public List<Rejection> rejections() {
            return List.copyOf(rejections);
        }

        Case reads(String... ids) {
            records.addAll(List.of(ids));
            return this;
        }

        Case readsAPrefixOf(List<String> ids, int atLeast) {
            records.addAll(ids);
            recordsMayBeAPrefix = true;
            minimumRecords = atLeast;
            return this;
        }

        /** When {@link #recordsMayBeAPrefix()}: how many records must come through at least. */
        public int minimumRecords() {
            return minimumRecords;
        }

        Case rejects(String location, String reason) {
            rejections.add(new Rejection(location, reason, false));
            return this;
        }

        Case rejectsStartingWith(String location, String reasonStart) {
            rejections.add(new Rejection(location, reasonStart, true));
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every case, committed ones first. */
    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        notCloudTrail(c);
        brokenJson(c);
        wrongTypes(c);
        timestamps(c);
        duplicates(c);
        nestingAndEscapes(c);
        gzip(c);
        huge(c);
        encodings(c);
        nulBytes(c);
        binary(c);
        return c;
    }

    /** Writes every case under {@code dir}, one file each. */
    public static void writeAll(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Case c : cases()) {
                Files.write(dir.resolve(c.name()), c.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed file names, for checking that every one has a row. */
    public static List<String> committedNames() {
        return cases().stream().filter(c -> c.bytes instanceof Resource).map(Case::name).toList();
    }

    // ---- committed cases -------------------------------------------------------------------------

    private static Case file(List<Case> all, String name) {
        Case c = new Case(name, new Resource(name));
        all.add(c);
        return c;
    }

    private static void notCloudTrail(List<Case> c) {
        file(c, "empty.json").rejects("", "empty input: no JSON found");
        file(c, "whitespace-only.json").rejects("", "empty input: no JSON found");
        file(c, "csv-export.csv").rejects("", "not JSON: input starts with 'e'");
        file(c, "s3-error-response.xml").rejects("", "not JSON: input starts with '<'");
        file(c, "html-login-page.json").rejects("", "not JSON: input starts with '<'");
        file(c, "json-scalar.json").rejects("", "not JSON: input starts with '\"'");
        file(c, "terraform-state.json").rejects("", NOT_A_RECORD);
        file(c, "array-of-non-records.json").reads("array-of-non-records-1")
                .rejects(":record 1", NOT_A_RECORD)
                .rejects(":record 2", NOT_A_RECORD);
        file(c, "array-of-scalars.json").reads("array-of-scalars-1")
                .rejects(":record 1", "array element is a number, not a record")
                .rejects(":record 2", "array element is a string, not a record")
                .rejects(":record 3", "array element is null, not a record")
                .rejects(":record 4", "array element is a boolean, not a record");
        file(c, "eventbridge-not-cloudtrail.ndjson").reads("eventbridge-not-cloudtrail-1")
                .rejects(":line 2", NOT_A_RECORD);
        file(c, "lookup-events-bad-entries.json").reads("lookup-events-bad-entries-1")
                .rejects(":record 1", "not valid JSON: Unexpected character ('n' (code 110)): was expecting"
                        + " double-quote to start field name at byte 1")
                .rejects(":record 3", NOT_A_RECORD)
                .rejects(":record 4", NOT_A_RECORD);
    }

    private static void brokenJson(List<Case> c) {
        file(c, "truncated-records.json").reads("truncated-records-1", "truncated-records-2")
                .rejects(":record 3", "unreadable input, the rest of the file is skipped after 2 records:"
                        + " Unexpected end-of-input in VALUE_STRING at byte 1925");
        file(c, "unclosed-records-array.json").reads("unclosed-records-array-1", "unclosed-records-array-2")
                .rejects(":record 2", "unreadable input, the rest of the file is skipped after 2 records:"
                        + " Unexpected end-of-input: expected close marker for Array at byte 1884");
        file(c, "trailing-garbage.json").reads("trailing-garbage-1")
                .rejects(":line 2", "not valid JSON: Unexpected close marker '}': no open Object to close at byte 0");
        file(c, "ndjson-with-garbage-lines.ndjson")
                .reads("ndjson-with-garbage-lines-1", "ndjson-with-garbage-lines-2", "ndjson-with-garbage-lines-3")
                .rejectsStartingWith(":line 2", "not valid JSON: Unrecognized token 'this'")
                .rejects(":line 4", "not valid JSON: Unexpected end-of-input in VALUE_STRING at byte 19")
                .rejects(":line 6:record 1", "array element is a number, not a record")
                .rejects(":line 6:record 2", "array element is a number, not a record");
        file(c, "missing-event-time.json").reads("missing-event-time-1", "missing-event-time-2")
                .rejects(":record 2", "record has no eventTime");
    }

    private static void wrongTypes(List<Case> c) {
        wrongType(c, "eventID", "a string", "a number", "an object", "an array", "a boolean");
        wrongType(c, "eventTime", "a string", "a number", "an object", "an array", "a boolean");
        wrongType(c, "eventSource", "a string", "a number", "an object", "an array");
        wrongType(c, "eventName", "a string", "a number", "an array", "a boolean");
        // a number where a string is expected is kept as its JSON text ("1.08")
        file(c, "wrong-type-eventVersion.json")
                .rejects(":record 2", "field 'eventVersion' must be a string, found an object")
                .rejects(":record 3", "field 'eventVersion' must be a string, found an array")
                .reads("wrong-type-eventVersion-1", "wrong-type-eventVersion-bad-3", "wrong-type-eventVersion-2");
        for (String f : List.of("eventType", "eventCategory", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
                "errorMessage", "requestID", "recipientAccountId", "sharedEventID", "vpcEndpointId")) {
            wrongType(c, f, "a string", "an object", "an array");
        }
        // "true" and "false" as strings are read as booleans (CloudTrail writes some booleans as strings)
        file(c, "wrong-type-readOnly.json")
                .rejects(":record 2", "field 'readOnly' must be a boolean, found a number")
                .rejects(":record 3", "field 'readOnly' must be a boolean, found 'yes'")
                .rejects(":record 4", "field 'readOnly' must be a boolean, found an object")
                .reads("wrong-type-readOnly-1", "wrong-type-readOnly-bad-4", "wrong-type-readOnly-2");
        file(c, "wrong-type-managementEvent.json")
                .rejects(":record 2", "field 'managementEvent' must be a boolean, found a number")
                .rejects(":record 3", "field 'managementEvent' must be a boolean, found 'no'")
                .rejects(":record 4", "field 'managementEvent' must be a boolean, found an array")
                .reads("wrong-type-managementEvent-1", "wrong-type-managementEvent-bad-4", "wrong-type-managementEvent-2");
        wrongType(c, "userIdentity", "an object", "a string", "an array", "a number");
        file(c, "wrong-type-userIdentity-members.json")
                .reads("wrong-type-userIdentity-members-1", "wrong-type-userIdentity-members-2")
                .rejects(":record 2", "field 'userIdentity.type' must be a string, found an object")
                .rejects(":record 3", "field 'userIdentity.principalId' must be a string, found an array")
                .rejects(":record 4", "field 'userIdentity.arn' must be a string, found an object")
                .rejects(":record 5", "field 'userIdentity.accountId' must be a string, found an array")
                .rejects(":record 6", "field 'userIdentity.accessKeyId' must be a string, found an object")
                .rejects(":record 7", "field 'userIdentity.userName' must be a string, found an array")
                .rejects(":record 8", "field 'userIdentity.invokedBy' must be a string, found an object");
        file(c, "wrong-type-sessionContext.json").reads("wrong-type-sessionContext-1", "wrong-type-sessionContext-2")
                .rejects(":record 2", "field 'userIdentity.sessionContext' must be an object, found a string")
                .rejects(":record 3", "field 'userIdentity.sessionContext' must be an object, found an array")
                .rejects(":record 4", "field 'userIdentity.sessionContext.sessionIssuer' must be an object, found a string")
                .rejects(":record 5", "field 'sessionIssuer.arn' must be a string, found an object")
                .rejects(":record 6", "field 'sessionIssuer.accountId' must be a string, found an array");
        file(c, "wrong-type-resources.json").reads("wrong-type-resources-1", "wrong-type-resources-2")
                .rejects(":record 2", "field 'resources' must be an array, found an object")
                .rejects(":record 3", "field 'resources' must be an array, found a string")
                .rejects(":record 4", "entries of 'resources' must be objects, found a string")
                .rejects(":record 5", "entries of 'resources' must be objects, found a number")
                .rejects(":record 6", "field 'resources.ARN' must be a string, found an object")
                .rejects(":record 7", "field 'resources.accountId' must be a string, found an array");
        wrongType(c, "requestParameters", "an object", "a string", "an array", "a number");
        wrongType(c, "responseElements", "an object", "a string", "an array");
        wrongType(c, "additionalEventData", "an object", "a string", "an array");
        wrongType(c, "serviceEventDetails", "an object", "a boolean", "a string");
        file(c, "null-fields.json").reads("null-fields-1", "null-fields-2");
    }

    /**
     * {@code wrong-type-<field>.json}: a good record, one bad record per found type, a good record.
     * The bad ones are records 2.. in order.
     */
    private static Case wrongType(List<Case> all, String field, String expected, String... found) {
        String stem = "wrong-type-" + field;
        Case c = file(all, stem + ".json").reads(stem + "-1", stem + "-2");
        for (int i = 0; i < found.length; i++) {
            c.rejects(":record " + (i + 2), "field '" + field + "' must be " + expected + ", found " + found[i]);
        }
        return c;
    }

    private static void timestamps(List<Case> c) {
        Case invalid = file(c, "invalid-timestamps.json").reads("invalid-timestamps-1", "invalid-timestamps-2");
        String[] bad = {"yesterday", "", "2024-13-01T00:00:00Z", "2024-02-30T12:00:00Z", "2024-03-01T24:00:01Z",
            "1709294400", "01/03/2024 12:00:00", "Mar 1, 2024, 12:00:00 PM"};
        for (int i = 0; i < bad.length; i++) {
            invalid.rejects(":record " + (i + 2), "eventTime '" + bad[i] + "' is not a timestamp");
        }
        // an offset that exists is converted; no zone at all is read as UTC (some exports drop the Z)
        Case zones = file(c, "invalid-timezones.json")
                .reads("invalid-timezones-1", "invalid-timezones-2", "invalid-timezones-3");
        String[] badZones = {"2024-03-01T12:00:00+25:00", "2024-03-01T12:00:00 PST", "2024-03-01T12:00:00Z[Europe/Paris]",
            "2024-03-01T12:00:00+0530", "2024-03-01T12:00:00 UTC", "2024-03-01T12:00:00GMT"};
        for (int i = 0; i < badZones.length; i++) {
            zones.rejects(":record " + (i + 1), "eventTime '" + badZones[i] + "' is not a timestamp");
        }
        file(c, "out-of-range-timestamps.json").reads("out-of-range-timestamps-1", "out-of-range-timestamps-2")
                .rejects(":record 2", "eventTime '1969-12-31T23:59:59Z" + RANGE)
                .rejects(":record 3", "eventTime '0001-01-01T00:00:00Z" + RANGE)
                .rejects(":record 4", "eventTime '+10000-01-01T00:00:00Z" + RANGE)
                .rejects(":record 5", "eventTime '+999999999-12-31T23:59:59Z" + RANGE);
        file(c, "records-from-the-future.json").reads("records-from-the-future-1", "records-from-the-future-2");
    }

    private static void duplicates(List<Case> c) {
        file(c, "duplicate-keys.json").reads("duplicate-keys-1", "duplicate-keys-2")
                .rejects(":record 2", "duplicate field 'eventName'")
                .rejects(":record 3", "duplicate field 'eventTime'")
                .rejects(":record 4", "duplicate field 'eventID'")
                .rejects(":record 5", "duplicate field 'userIdentity.arn'")
                .rejects(":record 6", "duplicate field 'resources.ARN'")
                .rejects(":record 7", "duplicate field 'requestParameters'")
                .rejects(":record 8", "duplicate field 'sessionIssuer.arn'");
        file(c, "duplicate-cloudtrailevent.json").reads("duplicate-cloudtrailevent-1")
                .rejects(":record 1", "duplicate field 'CloudTrailEvent'");
        file(c, "duplicate-eventbridge-detail.ndjson").reads("duplicate-eventbridge-detail-1")
                .rejects(":line 2", "duplicate field 'detail'");
        file(c, "duplicate-records-wrapper.json").reads("duplicate-records-wrapper-1", "duplicate-records-wrapper-2");
        file(c, "duplicate-keys-in-request-parameters.json").reads("duplicate-keys-in-request-parameters-1");
    }

    private static void nestingAndEscapes(List<Case> c) {
        file(c, "deep-nesting-request-parameters.json")
                .reads("deep-nesting-request-parameters-1", "deep-nesting-request-parameters-2")
                .rejects(":record 2", "JSON nested deeper than 200 levels");
        file(c, "deep-nesting-unread-field.ndjson")
                .reads("deep-nesting-unread-field-1", "deep-nesting-unread-field-2")
                .rejects(":line 2", "JSON nested deeper than 200 levels");
        file(c, "escaped-control-characters.json").reads("escaped-control-characters-1");
        generated(c, "deep-nesting-1m-levels.json", () -> utf8("{\"Records\":[" + record("deep-1m-1") + ","
                + "[".repeat(1_000_000) + "]".repeat(1_000_000) + "," + record("deep-1m-2") + "]}"))
                .reads("deep-1m-1")
                .rejects(":record 2", "unreadable input, the rest of the file is skipped after 1 records:"
                        + " JSON nested deeper than 100000 levels");
    }

    // ---- generated cases -------------------------------------------------------------------------

    private static Case generated(List<Case> all, String name, Supplier<byte[]> bytes) {
        Case c = new Case(name, bytes);
        all.add(c);
        return c;
    }

    /** A small well-formed KMS Decrypt record, the same bytes on every call (the request id follows the event id). */
    public static String record(String eventId) {
        return CloudTrailFixtures.decrypt().eventId(eventId).build().rawJson()
                .replaceFirst("\"requestID\":\"[^\"]*\"", "\"requestID\":\"request-" + eventId + "\"");
    }

    private static String records(List<String> ids) {
        return "{\"Records\":[" + String.join(",\n", ids.stream().map(BadInputCorpus::record).toList()) + "]}";
    }

    private static List<String> ids(String stem, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> stem + "-" + i).toList();
    }

    private static void gzip(List<Case> c) {
        // truncated mid-stream: what the records before the cut decompress to comes through
        List<String> many = ids("gzip-truncated", 60);
        byte[] whole = utf8(records(many));
        byte[] cut = Arrays.copyOf(gzip(whole), gzip(whole).length * 2 / 3);
        int readable = decompressible(cut);
        int complete = 0;
        int started = 0;
        int offset = "{\"Records\":[".length();
        for (String id : many) {
            int length = utf8(record(id)).length;
            if (offset < readable) {
                started++;
            }
            if (offset + length <= readable) {
                complete++;
            }
            offset += length + ",\n".length();
        }
        generated(c, "gzip-truncated.json.gz", () -> cut)
                .reads(many.subList(0, complete).toArray(String[]::new))
                .rejects(":record " + started, "unreadable input, the rest of the file is skipped after " + complete
                        + " records: EOFException: Unexpected end of ZLIB input stream");
        generated(c, "gzip-truncated-header.json.gz", () -> Arrays.copyOf(gzip(utf8(record("x"))), 6))
                .rejects("", "corrupt gzip header: unexpected end of input");
        generated(c, "gzip-magic-only.json.gz", () -> new byte[] {0x1f, (byte) 0x8b})
                .rejects("", "corrupt gzip header: unexpected end of input");
        generated(c, "gzip-unknown-method.json.gz", () -> {
            byte[] b = gzip(utf8(record("x")));
            b[2] = 7; // CM: 8 (deflate) is the only method defined
            return b;
        }).rejects("", "corrupt gzip header: ZipException: Unsupported compression method");
        List<String> three = ids("gzip-bad-crc", 3);
        generated(c, "gzip-bad-crc.json.gz", () -> {
            byte[] b = gzip(utf8(records(three)));
            b[b.length - 8] ^= 0x55; // CRC-32 of the trailer
            return b;
        }).reads(three.toArray(String[]::new))
                .rejects(":record 3", "unreadable input, the rest of the file is skipped after 3 records:"
                        + " ZipException: Corrupt GZIP trailer");
        // corrupt deflate data: the records before it come through, less at most the 8 KB inflated in the call
        // that meets the damage
        List<String> many2 = ids("gzip-corrupt-deflate", 200);
        byte[] intact = utf8(records(many2));
        byte[] corrupt = gzip(intact);
        for (int i = corrupt.length * 3 / 4; i < corrupt.length * 3 / 4 + 16; i++) {
            corrupt[i] = (byte) 0xff;
        }
        // corrupt deflate data may inflate to wrong bytes before zlib notices: sound is what matches the original
        int sound = Math.max(0, commonPrefix(inflated(corrupt), intact) - 8 * 1024);
        int soundRecords = 0;
        for (int at = "{\"Records\":[".length(); soundRecords < many2.size(); soundRecords++) {
            at += utf8(record(many2.get(soundRecords))).length;
            if (at > sound) {
                break;
            }
            at += ",\n".length();
        }
        generated(c, "gzip-corrupt-deflate.json.gz", () -> corrupt)
                .readsAPrefixOf(many2, soundRecords)
                .rejectsStartingWith(null, "unreadable input");
        generated(c, "gzip-corrupt-first-block.json.gz", () -> {
            byte[] b = gzip(utf8(records(ids("gzip-first-block", 3))));
            b[10] = (byte) 0xff; // BFINAL 1, BTYPE 11: a reserved block type
            return b;
        }).rejects("", "unreadable input: ZipException: invalid block type");
        generated(c, "gzip-empty.json.gz", () -> gzip(new byte[0])).rejects("", "empty input: no JSON found");
        generated(c, "gzip-of-png.json.gz", () -> gzip(png())).rejects("", "not JSON: input starts with '\\x89'");
        generated(c, "gzip-of-utf16.json.gz", () -> gzip(records(ids("u", 1)).getBytes(StandardCharsets.UTF_16LE)))
                .rejects("", "not UTF-8: the input is UTF-16LE (CloudTrail writes UTF-8 JSON)");
        generated(c, "gzip-inside-gzip.json.gz", () -> gzip(gzip(utf8(records(ids("g", 1))))))
                .rejects("", "not JSON: input starts with '\\x1f'");
    }

    private static void huge(List<Case> c) {
        // CloudTrail caps a record at 256 KB; the codec refuses anything over 4 MB and goes on
        generated(c, "huge-record-10mb.json", () -> utf8("{\"Records\":[" + record("huge-record-1") + ","
                + hugeRecord("huge-record-bad-1") + "," + record("huge-record-2") + "]}"))
                .reads("huge-record-1", "huge-record-2")
                .rejects(":record 2", "record larger than " + LIMIT + " bytes");
        generated(c, "huge-record-10mb.json.gz", () -> gzip(utf8("{\"Records\":[" + record("huge-gzip-1") + ","
                + hugeRecord("huge-gzip-bad-1") + "," + record("huge-gzip-2") + "]}")))
                .reads("huge-gzip-1", "huge-gzip-2")
                .rejects(":record 2", "record larger than " + LIMIT + " bytes");
        generated(c, "huge-line-10mb.ndjson", () -> utf8(record("huge-line-1") + "\n" + hugeRecord("huge-line-bad-1")
                + "\n" + record("huge-line-2") + "\n"))
                .reads("huge-line-1", "huge-line-2")
                .rejects(":line 2", "line longer than " + LIMIT + " bytes");
    }

    /** A 10 MB record: 10 MB of additionalEventData. */
    private static String hugeRecord(String id) {
        return record(id)
                .replaceFirst("\\{", "{\"additionalEventData\":{\"padding\":\"" + "A".repeat(10 * 1024 * 1024) + "\"},");
    }

    private static void encodings(List<Case> c) {
        String jose = record("latin1-bad-1").replaceFirst(":session\"", ":Jos\u00e9\"");
        generated(c, "latin1-in-ndjson.ndjson", () -> concat(utf8(record("latin1-ndjson-1") + "\n"),
                jose.getBytes(StandardCharsets.ISO_8859_1), utf8("\n" + record("latin1-ndjson-2") + "\n")))
                .reads("latin1-ndjson-1", "latin1-ndjson-2")
                .rejectsStartingWith(":line 2", "not valid JSON: Invalid UTF-8 middle byte 0x22");
        generated(c, "latin1-in-records.json", () -> concat(utf8("{\"Records\":[" + record("latin1-records-1") + ","),
                jose.getBytes(StandardCharsets.ISO_8859_1), utf8("," + record("latin1-records-2") + "]}")))
                .reads("latin1-records-1")
                .rejectsStartingWith(":record 2", "unreadable input, the rest of the file is skipped after 1 records:"
                        + " Invalid UTF-8 middle byte 0x22");
        generated(c, "utf16le.json", () -> records(ids("utf16le", 2)).getBytes(StandardCharsets.UTF_16LE))
                .rejects("", "not UTF-8: the input is UTF-16LE (CloudTrail writes UTF-8 JSON)");
        generated(c, "utf16be-bom.json", () -> records(ids("utf16be", 2)).getBytes(StandardCharsets.UTF_16))
                .rejects("", "not UTF-8: the input is UTF-16BE (CloudTrail writes UTF-8 JSON)");
        generated(c, "utf32le.json", () -> records(ids("utf32le", 1)).getBytes(java.nio.charset.Charset.forName("UTF-32LE")))
                .rejects("", "not UTF-8: the input is UTF-32LE (CloudTrail writes UTF-8 JSON)");
        generated(c, "invalid-utf8-sequence.ndjson", () -> concat(utf8(record("bad-utf8-1") + "\n"),
                withBytesIn(record("bad-utf8-bad-1"), "session", new byte[] {(byte) 0xC3, 0x28}),
                utf8("\n" + record("bad-utf8-2") + "\n")))
                .reads("bad-utf8-1", "bad-utf8-2")
                .rejectsStartingWith(":line 2", "not valid JSON: Invalid UTF-8 middle byte 0x28");
        generated(c, "overlong-utf8.ndjson", () -> concat(utf8(record("overlong-1") + "\n"),
                withBytesIn(record("overlong-bad-1"), "session", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                utf8("\n" + record("overlong-2") + "\n")))
                .reads("overlong-1", "overlong-2")
                .rejects(":line 2", "not UTF-8: invalid byte sequence at byte " + record("overlong-bad-1").indexOf("session")
                        + " of the record");
        // a UTF-8 byte order mark is tolerated
        generated(c, "utf8-bom.json", () -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8(records(ids("utf8-bom", 2))))).reads("utf8-bom-1", "utf8-bom-2");
    }

    private static void nulBytes(List<Case> c) {
        generated(c, "nul-in-string.ndjson", () -> concat(utf8(record("nul-string-1") + "\n"),
                withBytesIn(record("nul-string-bad-1"), "session", new byte[] {'a', 0, 'b'}),
                utf8("\n" + record("nul-string-2") + "\n")))
                .reads("nul-string-1", "nul-string-2")
                .rejectsStartingWith(":line 2", "not valid JSON: Illegal unquoted character ((CTRL-CHAR, code 0))");
        generated(c, "nul-between-records.json", () -> concat(utf8("{\"Records\":[" + record("nul-between-1") + ","),
                new byte[] {0}, utf8(record("nul-between-2") + "]}")))
                .reads("nul-between-1")
                .rejectsStartingWith(":record 1", "unreadable input, the rest of the file is skipped after 1 records:"
                        + " Illegal character ((CTRL-CHAR, code 0))");
        // a file pre-allocated and cut short by a crash: the records, then zeros
        generated(c, "nul-padded-tail.json", () -> concat(utf8(records(ids("nul-tail", 2))), new byte[4096]))
                .reads("nul-tail-1", "nul-tail-2")
                .rejectsStartingWith(":record 2", "unreadable input, the rest of the file is skipped after 2 records:"
                        + " Illegal character ((CTRL-CHAR, code 0))");
        generated(c, "all-nul.json", () -> new byte[4096]).rejects("", "not JSON: input starts with '\\x00'");
    }

    private static void binary(List<Case> c) {
        generated(c, "random-binary.bin", () -> {
            byte[] b = new byte[64 * 1024];
            new Random(42).nextBytes(b);
            b[0] = 7;
            return b;
        }).rejects("", "not JSON: input starts with '\\x07'");
        generated(c, "png-image.json", BadInputCorpus::png).rejects("", "not JSON: input starts with '\\x89'");
        generated(c, "zip-with-non-json-entries.zip", () -> zip(
                "trail.json", utf8(records(ids("zip-entry", 2))),
                "notes.txt", utf8("These are my notes, not CloudTrail.\n"),
                "image.png", png()))
                .reads("zip-entry-1", "zip-entry-2")
                .rejects("!notes.txt", "not JSON: input starts with 'T'")
                .rejects("!image.png", "not JSON: input starts with '\\x89'");
        generated(c, "corrupt-zip.zip", () -> {
            byte[] b = zip("trail.json", utf8(records(ids("corrupt-zip", 40))));
            for (int i = 40; i < b.length - 40; i++) {
                b[i] ^= 0x5a;
            }
            return b;
        }).rejects("!trail.json", "unreadable zip entry: ZipException: invalid block type")
                .rejects("", "corrupt zip archive: ZipException: invalid block type");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The record as UTF-8 with {@code raw} in place of the first {@code marker}. */
    private static byte[] withBytesIn(String record, String marker, byte[] raw) {
        int at = record.indexOf(marker);
        return concat(utf8(record.substring(0, at)), raw, utf8(record.substring(at + marker.length())));
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** How many bytes a damaged gzip stream yields before it fails, read in small steps to lose none. */
    private static int decompressible(byte[] gz) {
        return inflated(gz).length;
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    /** What a damaged gzip stream inflates to before it fails. */
    private static byte[] inflated(byte[] gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (EOFException | java.util.zip.ZipException e) {
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] zip(Object... nameAndBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < nameAndBytes.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) nameAndBytes[i]));
                zip.write((byte[]) nameAndBytes[i + 1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The 8-byte PNG signature and an IHDR chunk start: an image, not a log. */
    private static byte[] png() {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0};
    }

    /** Reads a committed case from the test classpath. */
    private static final class Resource implements Supplier<byte[]> {
        private final String name;

        Resource(String name) {
            this.name = name;
        }

        @Override
        public byte[] get() {
            try (InputStream in = BadInputCorpus.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("no corpus file " + RESOURCE_DIR + name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
