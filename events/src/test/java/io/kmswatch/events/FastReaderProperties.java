package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.internal.FastRecordParser;
import io.kmswatch.events.internal.RecordParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Holds the byte-level reader ({@link FastRecordParser}, and the codec's in-memory path for S3 log
 * files) to the streaming Jackson reader: on generated records — odd whitespace, escapes, non-ASCII,
 * numbers and literals of every shape, duplicated and escaped field names, wrapper fields, deep
 * nesting — and on byte-mutated ones, every record, location, rejection reason and summary is the
 * same whichever reader runs. Where the byte-level reader is unsure it must decline, never differ.
 */
class FastReaderProperties {
    private static final CloudTrailCodec FAST = new CloudTrailCodec();
    private static final CloudTrailCodec STREAMING = new CloudTrailCodec(CloudTrailCodec.DEFAULT_MAX_RECORD_BYTES, false);

    @Property(tries = 3000)
    void aRecordReadFromBytesIsTheSameWhicheverReaderReadsIt(@ForAll("records") byte[] json) {
        RecordParser.Fields fast = FastRecordParser.record(json);
        String reference = outcome(() -> RecordParser.parseRecordStreaming(json));
        Statistics.label("byte-level reader").collect(fast == null ? "declined" : "read");
        Statistics.label("byte-level reader").coverage(c -> c.check("read").percentage(p -> p > 10));
        if (fast != null) {
            String got = outcome(() -> RecordParser.finish(fast, json, 0));
            if (!got.startsWith("rejected")) {
                assertThat(got).isEqualTo(reference);
            }
        }
        assertThat(outcome(() -> CloudTrailEvent.parse(json))).isEqualTo(reference);
    }

    @Property(tries = 3000)
    void aMutatedRecordIsTheSameWhicheverReaderReadsIt(@ForAll("mutated") byte[] json) {
        RecordParser.Fields fast = FastRecordParser.record(json);
        Statistics.label("byte-level reader").collect(fast == null ? "declined" : "read");
        assertThat(outcome(() -> CloudTrailEvent.parse(json)))
                .isEqualTo(outcome(() -> RecordParser.parseRecordStreaming(json)));
    }

    @Property(tries = 1500)
    void anS3LogFileIsTheSameWhicheverReaderReadsIt(@ForAll("logFiles") byte[] file, @ForAll boolean gzip,
                                                    @ForAll("cut") double cut) {
        byte[] whole = gzip ? BadInputCorpus.gzip(file) : file;
        byte[] input = Arrays.copyOf(whole, (int) Math.ceil(whole.length * cut));

        assertThat(read(FAST, input)).isEqualTo(read(STREAMING, input));
    }

    @Example
    void everyFixtureRecordIsReadByTheByteLevelReader() {
        for (CloudTrailFixtures.Builder b : List.of(CloudTrailFixtures.decrypt(), CloudTrailFixtures.encrypt(),
                CloudTrailFixtures.generateDataKey(), CloudTrailFixtures.disableKey(),
                CloudTrailFixtures.scheduleKeyDeletion(7), CloudTrailFixtures.createGrant("arn:aws:iam::444455556666:role/x",
                        "Decrypt"), CloudTrailFixtures.event("RotateKey").serviceEvent("111122223333"))) {
            byte[] json = b.build().rawBytes();
            assertThat(FastRecordParser.record(json)).as(new String(json, StandardCharsets.UTF_8)).isNotNull();
        }
    }

    @Example
    void aCleanLogFileIsReadWithoutTheStreamingReader() {
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        for (int n = 0; n < 50; n++) {
            sb.append(n == 0 ? "" : ",").append(CloudTrailFixtures.decrypt().build().rawJson());
        }
        byte[] file = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();

        assertThat(FastRecordParser.readRecordsFile(file, file.length, "f", 1 << 20, c)).isEqualTo(-1);
        assertThat(c.records).hasSize(50);
        assertThat(read(FAST, file)).isEqualTo(read(STREAMING, file));
    }

    @Example
    void aFileTheByteLevelReaderGivesUpOnPartWayLosesAndRepeatsNothing() {
        String good = CloudTrailFixtures.decrypt().build().rawJson();
        String bad = good.replaceFirst("\"eventName\":\"Decrypt\"", "\"eventName\":42");
        byte[] file = ("{\"Records\":[" + good + "," + good + "," + bad + "," + good + "]}").getBytes(StandardCharsets.UTF_8);
        CloudTrailCodec.Collected partial = new CloudTrailCodec.Collected();

        assertThat(FastRecordParser.readRecordsFile(file, file.length, "f", 1 << 20, partial)).isEqualTo(2);
        List<String> got = read(FAST, file);
        assertThat(got).isEqualTo(read(STREAMING, file));
        assertThat(got).hasSize(5).filteredOn(s -> s.startsWith("rejected")).hasSize(1)
                .first().asString().contains("f.json:record 3").contains("eventName");
    }

    @Example
    void recordsNearTheSizeLimitGetTheStreamingReadersAnswer() {
        int limit = 300 * 1024;
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        int[] sizes = {10_000, 43_000, 45_000, 200_000, 290_000, 305_000, 306_500, 310_000, 20_000};
        for (int k = 0; k < sizes.length; k++) {
            String base = CloudTrailFixtures.decrypt().build().rawJson();
            String pad = "x".repeat(Math.max(0, sizes[k] - base.length()));
            sb.append(k == 0 ? "" : ",").append(base, 0, base.length() - 1).append(",\"pad\":\"").append(pad).append("\"}");
        }
        byte[] file = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        CloudTrailCodec fast = new CloudTrailCodec(limit);
        CloudTrailCodec streaming = new CloudTrailCodec(limit, false);

        List<String> got = read(fast, file);
        assertThat(got).isEqualTo(read(streaming, file));
        assertThat(got).anySatisfy(line -> assertThat(line).startsWith("rejected").contains("larger than"));
    }

    // ---- generators

    private static final String[] STRING_FIELDS = {"eventID", "eventTime", "eventVersion", "eventSource", "eventName",
        "eventType", "eventCategory", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage",
        "requestID", "recipientAccountId", "sharedEventID", "vpcEndpointId"};
    private static final String[] STRINGS = {"\"Decrypt\"", "\"kms.amazonaws.com\"", "\"2024-03-01T12:00:00Z\"",
        "\"2024-03-01 12:00:00\"", "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"caf\\u00e9 \\u00E9\"", "\"café ✓ 😀\"",
        "\"\\ud83d\\ude00\"", "\"lone \\ud800 surrogate\"", "\"ctl \u0001 raw\"", "\"bad \\x escape\"", "\"bad \\u12G4\"",
        "\"us-east-1\"", "\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"",
        "\"unterminated"};
    private static final String[] SCALARS = {"0", "-1", "12.5e-3", "1E+9", "01", "1.", "-", ".5", "1e", "true", "false",
        "null", "tru", "nul", "falsey", "1x", "1".repeat(150), "\"x\""};
    private static final String[] WS = {"", "", "", " ", "\n  ", "\t", "\r\n"};

    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(4).ofMaxSize(40)
                .map(FastReaderProperties::record)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> base = records();
        return Combinators.combine(base, Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 100_000), Arbitraries.bytes()).as((b, kind, pos, value) -> {
            int at = pos % (b.length + 1);
            return kind < 4 ? ByteEdits.edit(b, kind, pos, value, 12)
                    : ByteEdits.insert(ByteEdits.insert(b, at, (byte) 0x80), at, (byte) 0xE0);
        });
    }

    @Provide
    Arbitrary<byte[]> logFiles() {
        Arbitrary<byte[]> element = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(4)
                        .ofMaxSize(10).map(FastReaderProperties::cleanRecord).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, records()),
                net.jqwik.api.Tuple.of(1, mutated()));
        return Combinators.combine(element.list().ofMaxSize(8), Arbitraries.integers().between(0, 5)).as((list, shape) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, switch (shape) {
                case 0 -> " {\n \"Records\" : [";
                case 1 -> "{\"Records\":[";
                default -> "{\"Records\":[";
            });
            for (int k = 0; k < list.size(); k++) {
                if (k > 0) {
                    write(out, shape == 2 ? ",\n" : ",");
                }
                out.writeBytes(list.get(k));
            }
            write(out, switch (shape) {
                case 3 -> "],\"extra\":1}";
                case 4 -> "]} trailing";
                case 5 -> "]}\n";
                default -> "]}";
            });
            return out.toByteArray();
        });
    }

    @Provide
    Arbitrary<Double> cut() {
        return Arbitraries.oneOf(Arbitraries.just(1.0), Arbitraries.just(1.0), Arbitraries.doubles().between(0.5, 1.0));
    }

    private static final int[] VALID_STRINGS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14};
    private static final int[] VALID_SCALARS = {0, 1, 2, 3, 9, 10, 11, 17};

    /**
     * A record drawn from the choices in {@code picks}: valid choices only (each field once, well-formed
     * values), or all but one member so.
     */
    private static String record(List<Integer> picks) {
        // half the records are valid; the others have exactly one member drawn from every choice, so that
        // one oddity is not hidden behind another the byte-level reader declines first
        int oddMember = picks.get(0) % 2 == 0 ? -1 : 1 + (picks.get(0) >>> 1) % (picks.size() - 1);
        StringBuilder sb = new StringBuilder(ws(picks.get(0))).append('{');
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int k = 1; k < picks.size(); k++) {
            int p = picks.get(k);
            boolean clean = k != oddMember;
            if (k > 1) {
                sb.append(ws(p >>> 3)).append(',');
            }
            sb.append(ws(p >>> 6));
            int kind = p % 23;
            String name;
            String v;
            if (kind < 12) {
                name = STRING_FIELDS[(p >>> 9) % STRING_FIELDS.length];
                v = name.equals("eventTime") ? "\"2024-03-01T12:0" + (p % 10) + ":00Z\""
                        : !clean && (p >>> 13) % 9 == 0 ? SCALARS[(p >>> 17) % SCALARS.length]
                        : clean ? STRINGS[VALID_STRINGS[(p >>> 17) % VALID_STRINGS.length]]
                        : STRINGS[(p >>> 17) % STRINGS.length];
            } else if (kind < 14) {
                name = (p >>> 9) % 2 == 0 ? "readOnly" : "managementEvent";
                v = !clean && (p >>> 10) % 5 == 0 ? SCALARS[(p >>> 13) % SCALARS.length]
                        : (p >>> 11) % 2 == 0 ? "true" : "false";
            } else if (kind < 16) {
                name = "userIdentity";
                v = userIdentity(clean ? (p % 2 == 0 ? 0 : 4 | ((p >>> 3) % 3) << 3) : p);
            } else if (kind < 18) {
                name = "resources";
                v = resources(clean ? (p % 2 == 0 ? 1 : 5) : p);
            } else if (kind < 20) {
                String[] spans = {"requestParameters", "responseElements", "additionalEventData", "serviceEventDetails"};
                name = spans[(p >>> 9) % 4];
                v = !clean && (p >>> 11) % 7 == 0 ? SCALARS[(p >>> 14) % SCALARS.length]
                        : clean ? "{\"k\":" + value(p >>> 5, 0, true) + "}" : value(p >>> 5, 0, false);
            } else if (kind == 20) {
                String[] odd = clean ? new String[] {"eventName ", "", "naïve", "tlsDetails"}
                        : new String[] {"Records", "detail", "detail-type", "CloudTrailEvent", "logFiles", "event\\u0049D",
                            "eventName ", "", "tls\\nDetails", "naïve"};
                name = odd[(p >>> 9) % odd.length];
                v = value(p >>> 6, 0, clean);
            } else {
                name = "tlsDetails" + (p >>> 9) % 3;
                v = value(p >>> 5, 0, clean);
            }
            if (!used.add(name) && clean) {
                name = "unread" + k;
            }
            member(sb, name, v, p);
        }
        if (!used.contains("eventTime") && picks.get(0) % 8 != 1) {
            sb.append(picks.size() > 1 ? "," : "").append("\"eventTime\":\"2024-03-01T12:00:00Z\"");
        }
        return sb.append(ws(picks.get(0) >>> 4)).append('}').append(ws(picks.get(0) >>> 8)).toString();
    }

    /** A record whose every member is well-formed (the common case the byte-level reader must take). */
    private static String cleanRecord(List<Integer> picks) {
        StringBuilder sb = new StringBuilder("{\"eventTime\":\"2024-03-01T12:00:0" + picks.get(0) % 10 + "Z\"");
        for (int k = 1; k < picks.size(); k++) {
            int p = picks.get(k);
            switch (p % 5) {
                case 0 -> sb.append(",\"eventName\":\"Decrypt").append(k).append('"');
                case 1 -> sb.append(",\"userIdentity\":").append(userIdentity(4 | ((p >>> 3) % 3) << 3));
                case 2 -> sb.append(",\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k").append(p % 9)
                        .append("\",\"type\":\"AWS::KMS::Key\"}]");
                case 3 -> sb.append(",\"requestParameters\":{\"encryptionContext\":{\"a\":\"").append(p).append("\"}}");
                default -> sb.append(",\"x").append(k).append("\":[1,2.5,true,null,{\"y\":\"z\"}]");
            }
            sb.append(" ".repeat(p % 2));
        }
        return sb.append('}').toString();
    }

    private static void member(StringBuilder sb, String name, String value, int p) {
        sb.append('"').append(name).append('"').append(ws(p >>> 20)).append(':').append(ws(p >>> 23)).append(value);
    }

    private static String userIdentity(int p) {
        return switch (p % 8) {
            case 0 -> "null";
            case 1 -> "\"oops\"";
            case 2 -> "{\"type\":\"AssumedRole\",\"type\":\"IAMUser\"}";
            case 3 -> "{\"type\":42}";
            default -> "{\"type\":\"AssumedRole\",\"principalId\":\"AROA:s\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/r/s\","
                    + "\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIA\",\"userName\":null,\"invokedBy\":\"s3.amazonaws.com\","
                    + "\"extra\":{\"deep\":[1,{\"x\":null}]},\"sessionContext\":"
                    + switch ((p >>> 3) % 5) {
                        case 0 -> "null";
                        case 1 -> "{\"sessionIssuer\":null,\"attributes\":{\"mfaAuthenticated\":\"false\"}}";
                        case 2 -> "{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::111122223333:role/r\","
                                + "\"accountId\":\"111122223333\",\"userName\":\"r\"},\"webIdFederationData\":{}}";
                        case 3 -> "{\"sessionIssuer\":{\"type\":\"Role\"},\"sessionIssuer\":{}}";
                        default -> "{\"sessionIssuer\":[]}";
                    } + "}";
        };
    }

    private static String resources(int p) {
        return switch (p % 7) {
            case 0 -> "null";
            case 1 -> "[]";
            case 2 -> "[null]";
            case 3 -> "{\"ARN\":\"x\"}";
            case 4 -> "[{\"ARN\":\"a\",\"ARN\":\"b\"}]";
            default -> "[{\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k\"},"
                    + "{\"arn\":\"arn:aws:kms:us-east-1:111122223333:alias/a\",\"extra\":[[]]}]";
        };
    }

    /** A JSON value (an invalid one too unless {@code clean}); {@code depth} bounds nesting, with rare very deep chains. */
    private static String value(int p, int depth, boolean clean) {
        int kind = p % 6;
        if (depth > 3 || kind < 2) {
            return (p >>> 3) % 3 == 0
                    ? (clean ? SCALARS[VALID_SCALARS[(p >>> 5) % VALID_SCALARS.length]] : SCALARS[(p >>> 5) % SCALARS.length])
                    : (clean ? STRINGS[VALID_STRINGS[(p >>> 5) % VALID_STRINGS.length]] : STRINGS[(p >>> 5) % STRINGS.length]);
        }
        if (kind == 2 && (p >>> 3) % 11 == 0) {
            int n = clean ? 20 : Json.MAX_NESTING_DEPTH - 10 + (p >>> 7) % 20;
            return "[".repeat(n) + "]".repeat(n);
        }
        if (kind < 4) {
            return "[" + value(p >>> 3, depth + 1, clean) + "," + ws(p >>> 4) + value(p >>> 6, depth + 1, clean)
                    + (!clean && (p >>> 9) % 13 == 0 ? ",]" : "]");
        }
        return "{\"k" + (p >>> 4) % 3 + "\":" + value(p >>> 3, depth + 1, clean) + ",\"k2\"" + ws(p >>> 8) + ":"
                + value(p >>> 7, depth + 1, clean) + (!clean && (p >>> 11) % 13 == 0 ? ",}" : "}");
    }

    private static String ws(int p) {
        return WS[Math.floorMod(p, WS.length)];
    }

    // ---- comparison

    /** Everything a reader says about one record: every typed field, the lazy trees, the bytes; or the rejection. */
    private static String outcome(java.util.function.Supplier<CloudTrailEvent> read) {
        try {
            return describe(read.get());
        } catch (MalformedEventException e) {
            return "rejected: " + e.getMessage();
        }
    }

    static String describe(CloudTrailEvent e) {
        return String.join("|", String.valueOf(e.eventId()), String.valueOf(e.eventIdDerived()),
                String.valueOf(e.eventTime()), e.eventVersion(), e.eventSource(), e.eventName(), e.eventType(),
                e.eventCategory(), e.awsRegion(), String.valueOf(e.userIdentity()), e.sourceIpAddress(), e.userAgent(),
                e.errorCode(), e.errorMessage(), e.requestId(), e.recipientAccountId(), e.sharedEventId(),
                e.vpcEndpointId(), String.valueOf(e.readOnly()), String.valueOf(e.managementEvent()),
                String.valueOf(e.resources()), e.requestParameters().toString(), e.responseElements().toString(),
                e.additionalEventData().toString(), e.serviceEventDetails().toString(),
                HexFormat.of().formatHex(e.rawBytes()));
    }

    private static List<String> read(CloudTrailCodec codec, byte[] input) {
        List<String> out = new ArrayList<>();
        ReadSummary s = codec.read(new ByteArrayInputStream(input), "f.json", new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                out.add("record " + location + " " + describe(event));
            }

            @Override
            public void rejected(Rejected r) {
                out.add("rejected " + r.location() + " " + r.reason() + " " + HexFormat.of().formatHex(r.raw() == null
                        ? new byte[0] : r.raw()));
            }
        });
        out.add("summary " + s);
        return out;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
