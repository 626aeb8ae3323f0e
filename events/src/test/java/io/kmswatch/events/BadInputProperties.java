package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.events.internal.RecordParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Exact accounting under damage. Truncations and byte mutations of valid files, plain and gzip: every
 * record before the damage comes through byte for byte, the damage becomes rejections with reasons,
 * and nothing throws. Arbitrary JSON in every field the model reads: the record is read with that
 * value, or rejected with a reason that names the field, and its neighbours are read either way.
 */
class BadInputProperties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NAME = "fuzz";
    private final CloudTrailCodec codec = new CloudTrailCodec();

    // ---- files: records, arrays, NDJSON ------------------------------------------------------

    /** A valid file: its bytes, and where each record's bytes lie in it. */
    record File(byte[] bytes, List<byte[]> records, int[] ends, int headerLength, boolean ndjson) {
        /** How many records end at or before {@code offset}. */
        int completeBefore(int offset) {
            int n = 0;
            while (n < ends.length && ends[n] <= offset) {
                n++;
            }
            return n;
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<File> files() {
        Arbitrary<List<Integer>> kinds = Arbitraries.integers().between(0, 4).list().ofMinSize(1).ofMaxSize(10);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 2)).as(BadInputProperties::file);
    }

    private static File file(List<Integer> kinds, int shape) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            records.add(utf8(shapeOf(kinds.get(i), "r" + i)));
        }
        String header = switch (shape) {
            case 0 -> "{\"Records\":[";
            case 1 -> "[";
            default -> "";
        };
        String separator = shape == 2 ? "\n" : ",\n";
        String footer = shape == 2 ? "\n" : shape == 0 ? "]}" : "]";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(header));
        int[] ends = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out.writeBytes(utf8(separator));
            }
            out.writeBytes(records.get(i));
            ends[i] = out.size();
        }
        out.writeBytes(utf8(footer));
        return new File(out.toByteArray(), records, ends, header.length(), shape == 2);
    }

    private static String shapeOf(int kind, String id) {
        CloudTrailFixtures.Builder b = switch (kind) {
            case 0 -> CloudTrailFixtures.decrypt();
            case 1 -> CloudTrailFixtures.scheduleKeyDeletion(7);
            case 2 -> CloudTrailFixtures.putKeyPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}");
            case 3 -> CloudTrailFixtures.createGrant("arn:aws:iam::444455556666:role/x", "Decrypt");
            default -> CloudTrailFixtures.event("RotateKey").serviceEvent("111122223333");
        };
        return b.eventId(id).build().rawJson();
    }

    @Property(tries = 600)
    void shouldReadEveryRecordBeforeTheCutOfATruncatedFile(@ForAll("files") File file,
                                                           @ForAll @IntRange(min = 0, max = 1000) int permille,
                                                           @ForAll boolean gzip) {
        byte[] whole = gzip ? BadInputCorpus.gzip(file.bytes()) : file.bytes();
        byte[] cut = Arrays.copyOf(whole, (int) ((long) whole.length * permille / 1000));
        // what the reader gets: the plain bytes up to the cut, or what the truncated gzip inflates to
        int readable = gzip ? decompressible(cut) : cut.length;

        CloudTrailCodec.Collected got = read(cut);

        int complete = file.completeBefore(readable);
        assertThat(got.records).hasSize(complete);
        for (int i = 0; i < complete; i++) {
            assertThat(got.records.get(i).rawBytes()).isEqualTo(file.records().get(i));
        }
        assertThat(got.records.size() + got.rejected.size()).isPositive();
        assertReasons(got);
    }

    @Property(tries = 1000)
    void shouldKeepEveryRecordBeforeAByteMutation(@ForAll("files") File file, @ForAll("mutations") Mutation m) {
        int at = file.headerLength() + m.position() % (file.bytes().length - file.headerLength() + 1);
        byte[] damaged = m.apply(file.bytes(), at);

        CloudTrailCodec.Collected got = read(damaged);

        // the first line of NDJSON decides the wrapper: damage there may make the file read as one document
        int complete = file.ndjson() && at < file.ends()[0] + 1 ? 0 : file.completeBefore(at);
        assertThat(got.records.size()).isGreaterThanOrEqualTo(complete);
        for (int i = 0; i < complete; i++) {
            assertThat(got.records.get(i).rawBytes()).isEqualTo(file.records().get(i));
        }
        assertThat(got.records.size() + got.rejected.size()).isPositive();
        assertReasons(got);
    }

    @Property(tries = 1000)
    void shouldAccountForEveryLineOfMutatedNdjson(@ForAll("ndjson") File file, @ForAll("mutations") Mutation m,
                                                  @ForAll @IntRange(min = 1, max = 100) int lineChoice) {
        // 0-based, never the first (it decides that the input is NDJSON) nor the last (a file whose lines
        // after the first are blank is read as one JSON document)
        int damagedLine = 1 + lineChoice % (file.records().size() - 2);
        List<byte[]> lines = new ArrayList<>(file.records());
        byte[] line = lines.get(damagedLine);
        lines.set(damagedLine, m.applyWithinLine(line, m.position() % (line.length + 1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        List<String> locations = new ArrayList<>();
        List<byte[]> recordBytes = new ArrayList<>();
        CloudTrailCodec.Sink sink = new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                locations.add(location);
                recordBytes.add(event.rawBytes());
            }

            @Override
            public void rejected(Rejected r) {
                assertThat(r.reason()).isNotBlank();
                locations.add(r.location());
                recordBytes.add(null);
            }
        };

        codec.read(new ByteArrayInputStream(out.toByteArray()), NAME, sink);

        String damagedAt = NAME + ":line " + (damagedLine + 1);
        int i = 0;
        for (int l = 0; l < lines.size(); l++) {
            if (l == damagedLine) {
                int before = i;
                while (i < locations.size() && locations.get(i).startsWith(damagedAt)) {
                    i++;
                }
                // a line cut down to nothing is a blank line, which NDJSON skips
                if (new String(lines.get(l), StandardCharsets.ISO_8859_1).isBlank()) {
                    assertThat(i - before).as("outcomes of the blanked line").isZero();
                } else {
                    assertThat(i - before).as("outcomes of the damaged line").isPositive();
                }
            } else {
                assertThat(locations.get(i)).isEqualTo(NAME + ":line " + (l + 1));
                assertThat(recordBytes.get(i)).isEqualTo(lines.get(l));
                i++;
            }
        }
        assertThat(i).isEqualTo(locations.size());
    }

    @Provide
    Arbitrary<File> ndjson() {
        return Arbitraries.integers().between(0, 4).list().ofMinSize(3).ofMaxSize(10).map(k -> file(k, 2));
    }

    @Property(tries = 500)
    void shouldNeverThrowOnACorruptGzipAndKeepTheOriginalsInOrder(@ForAll("files") File file,
                                                                 @ForAll("mutations") Mutation m) {
        byte[] gz = BadInputCorpus.gzip(file.bytes());
        byte[] damaged = m.apply(gz, m.position() % (gz.length + 1));

        CloudTrailCodec.Collected got = read(damaged);

        assertThat(got.records.size() + got.rejected.size()).isPositive();
        assertReasons(got);
        int next = 0;
        for (CloudTrailEvent e : got.records) {
            assertThat(e.eventTime()).isNotNull();
            for (int k = 0; k < file.records().size(); k++) {
                if (Arrays.equals(e.rawBytes(), file.records().get(k))) {
                    assertThat(k).as("original records keep their order").isGreaterThanOrEqualTo(next);
                    next = k + 1;
                    break;
                }
            }
        }
    }

    /** A byte-level change at a position: flip, insert, delete a run, NUL, a stray UTF-8 lead byte, cut. */
    record Mutation(int kind, int position, byte value, int length) {
        byte[] apply(byte[] b, int at) {
            return switch (kind) {
                case 0 -> ByteEdits.set(b, at, value);
                case 1 -> ByteEdits.insert(b, at, value);
                case 2 -> ByteEdits.delete(b, at, length);
                case 3 -> ByteEdits.insert(b, at, (byte) 0);
                case 4 -> ByteEdits.insert(b, at, (byte) 0xC3);
                case 5 -> ByteEdits.set(b, at, (byte) '"');
                default -> Arrays.copyOf(b, at);
            };
        }

        /** The same, never making or removing a line break (the line stays one line). */
        byte[] applyWithinLine(byte[] line, int at) {
            Mutation safe = value == '\n' ? new Mutation(kind, position, (byte) ' ', length) : this;
            return safe.apply(line, at);
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.bytes(), Arbitraries.integers().between(1, 40)).as(Mutation::new);
    }

    // ---- arbitrary JSON in every field the model reads -------------------------------------------

    private enum Kind { STRING, REQUIRED_STRING, TIME, BOOLEAN, LAZY_OBJECT, OBJECT, RESOURCES }

    /**
     * A field the model reads: where it sits, the name rejections use, its kind, and how to read it back
     * from the parsed event (null when it is not exposed one to one).
     */
    record Field(String path, String reported, Kind kind, Function<CloudTrailEvent, Object> accessor) {
        @Override
        public String toString() {
            return path;
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("eventID", "eventID", Kind.REQUIRED_STRING, CloudTrailEvent::eventId),
            new Field("eventSource", "eventSource", Kind.REQUIRED_STRING, CloudTrailEvent::eventSource),
            new Field("eventName", "eventName", Kind.REQUIRED_STRING, CloudTrailEvent::eventName),
            new Field("eventTime", "eventTime", Kind.TIME, CloudTrailEvent::eventTime),
            new Field("eventVersion", "eventVersion", Kind.STRING, CloudTrailEvent::eventVersion),
            new Field("eventType", "eventType", Kind.STRING, CloudTrailEvent::eventType),
            new Field("eventCategory", "eventCategory", Kind.STRING, CloudTrailEvent::eventCategory),
            new Field("awsRegion", "awsRegion", Kind.STRING, CloudTrailEvent::awsRegion),
            new Field("sourceIPAddress", "sourceIPAddress", Kind.STRING, CloudTrailEvent::sourceIpAddress),
            new Field("userAgent", "userAgent", Kind.STRING, CloudTrailEvent::userAgent),
            new Field("errorCode", "errorCode", Kind.STRING, CloudTrailEvent::errorCode),
            new Field("errorMessage", "errorMessage", Kind.STRING, CloudTrailEvent::errorMessage),
            new Field("requestID", "requestID", Kind.STRING, CloudTrailEvent::requestId),
            new Field("recipientAccountId", "recipientAccountId", Kind.STRING, CloudTrailEvent::recipientAccountId),
            new Field("sharedEventID", "sharedEventID", Kind.STRING, CloudTrailEvent::sharedEventId),
            new Field("vpcEndpointId", "vpcEndpointId", Kind.STRING, CloudTrailEvent::vpcEndpointId),
            new Field("readOnly", "readOnly", Kind.BOOLEAN, CloudTrailEvent::readOnly),
            new Field("managementEvent", "managementEvent", Kind.BOOLEAN, CloudTrailEvent::managementEvent),
            new Field("requestParameters", "requestParameters", Kind.LAZY_OBJECT, CloudTrailEvent::requestParameters),
            new Field("responseElements", "responseElements", Kind.LAZY_OBJECT, CloudTrailEvent::responseElements),
            new Field("additionalEventData", "additionalEventData", Kind.LAZY_OBJECT, CloudTrailEvent::additionalEventData),
            new Field("serviceEventDetails", "serviceEventDetails", Kind.LAZY_OBJECT, CloudTrailEvent::serviceEventDetails),
            new Field("userIdentity", "userIdentity", Kind.OBJECT, null),
            new Field("userIdentity.type", "userIdentity.type", Kind.STRING, e -> e.userIdentity().type()),
            new Field("userIdentity.principalId", "userIdentity.principalId", Kind.STRING,
                    e -> e.userIdentity().principalId()),
            new Field("userIdentity.arn", "userIdentity.arn", Kind.STRING, e -> e.userIdentity().arn()),
            new Field("userIdentity.accountId", "userIdentity.accountId", Kind.STRING, e -> e.userIdentity().accountId()),
            new Field("userIdentity.accessKeyId", "userIdentity.accessKeyId", Kind.STRING,
                    e -> e.userIdentity().accessKeyId()),
            new Field("userIdentity.userName", "userIdentity.userName", Kind.STRING, e -> e.userIdentity().userName()),
            new Field("userIdentity.invokedBy", "userIdentity.invokedBy", Kind.STRING, e -> e.userIdentity().invokedBy()),
            new Field("userIdentity.sessionContext", "userIdentity.sessionContext", Kind.OBJECT, null),
            new Field("userIdentity.sessionContext.sessionIssuer", "userIdentity.sessionContext.sessionIssuer",
                    Kind.OBJECT, null),
            new Field("userIdentity.sessionContext.sessionIssuer.type", "sessionIssuer.type", Kind.STRING,
                    e -> e.userIdentity().sessionIssuerType()),
            new Field("userIdentity.sessionContext.sessionIssuer.arn", "sessionIssuer.arn", Kind.STRING,
                    e -> e.userIdentity().sessionIssuerArn()),
            new Field("userIdentity.sessionContext.sessionIssuer.accountId", "sessionIssuer.accountId", Kind.STRING,
                    e -> e.userIdentity().sessionIssuerAccountId()),
            new Field("resources", "resources", Kind.RESOURCES, null),
            new Field("resources.0.ARN", "resources.ARN", Kind.STRING, e -> e.resources().get(0).arn()),
            new Field("resources.0.arn", "resources.arn", Kind.STRING, null),
            new Field("resources.0.accountId", "resources.accountId", Kind.STRING, e -> e.resources().get(0).accountId()),
            new Field("resources.0.type", "resources.type", Kind.STRING, e -> e.resources().get(0).type()));

    @Provide
    Arbitrary<Field> fields() {
        return Arbitraries.of(FIELDS);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return json(3);
    }

    /** Any JSON value; object keys start with "x-", so they never name a field the model reads. */
    private static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<String> texts = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("中€").ofMaxLength(24),
                Arbitraries.of("2024-03-01T12:00:00Z", "2024-03-01T12:00:00+05:30", "1969-12-31T23:59:59Z",
                        "+10000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "2024-03-01 12:00:00", "true", "FALSE",
                        "yes", "", "arn:aws:kms:us-east-1:111122223333:key/k"));
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                texts.map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().between(-1e12, 1e12).map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<JsonNode> inner = Arbitraries.lazy(() -> json(depth - 1));
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(4).map(items -> {
            ArrayNode a = NODES.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).map(k -> "x-" + k).list().ofMaxSize(4)
                        .uniqueElements(), inner.list().ofSize(4)).as((keys, vals) -> {
                            ObjectNode o = NODES.objectNode();
                            for (int i = 0; i < keys.size(); i++) {
                                o.set(keys.get(i), vals.get(i));
                            }
                            return o;
                        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalars), net.jqwik.api.Tuple.of(2, arrays), net.jqwik.api.Tuple.of(2, objects));
    }

    @Property(tries = 3000)
    void shouldReadOrRejectAnyJsonInAnyFieldTheModelReadsAndReadItsNeighbours(
            @ForAll("fields") Field field, @ForAll("values") JsonNode value, @ForAll boolean ndjson) throws IOException {
        ObjectNode middle = (ObjectNode) Json.MAPPER.readTree(shapeOf(0, "middle"));
        set(middle, field.path(), value);
        String a = shapeOf(1, "neighbour-a");
        String b = shapeOf(3, "neighbour-b");
        String m = Json.MAPPER.writeValueAsString(middle);
        String text = ndjson ? a + "\n" + m + "\n" + b + "\n" : "{\"Records\":[" + a + "," + m + "," + b + "]}";
        String unit = ndjson ? ":line " : ":record ";

        List<Object> outcomes = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        codec.read(new ByteArrayInputStream(utf8(text)), NAME, new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                outcomes.add(event);
                locations.add(location);
            }

            @Override
            public void rejected(Rejected r) {
                outcomes.add(r);
                locations.add(r.location());
            }
        });

        assertThat(locations).containsExactly(NAME + unit + 1, NAME + unit + 2, NAME + unit + 3);
        assertThat(outcomes.get(0)).isInstanceOfSatisfying(CloudTrailEvent.class,
                e -> assertThat(e.eventId()).isEqualTo("neighbour-a"));
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(CloudTrailEvent.class,
                e -> assertThat(e.eventId()).isEqualTo("neighbour-b"));
        String expectedRejection = expectedRejection(field, value);
        Object outcome = outcomes.get(1);
        if (expectedRejection != null) {
            assertThat(outcome).as("%s = %s", field, value).isInstanceOfSatisfying(Rejected.class,
                    r -> assertThat(r.reason()).startsWith(expectedRejection));
        } else {
            assertThat(outcome).as("%s = %s", field, value).isInstanceOfSatisfying(CloudTrailEvent.class,
                    e -> assertReadBack(field, value, e));
        }
    }

    /** The start of the reason the middle record must be rejected with, or null when it must be read. */
    private static String expectedRejection(Field f, JsonNode v) {
        String found = describe(v);
        return switch (f.kind()) {
            case STRING -> v.isContainerNode() ? "field '" + f.reported() + "' must be a string, found " + found : null;
            case REQUIRED_STRING -> v.isTextual() || v.isNull() ? null
                    : "field '" + f.reported() + "' must be a string, found " + found;
            case TIME -> {
                if (v.isNull()) {
                    yield "record has no eventTime";
                }
                if (!v.isTextual()) {
                    yield "field 'eventTime' must be a string, found " + found;
                }
                Instant t = RecordParser.parseTime(v.textValue());
                yield t != null && !t.isBefore(Instant.EPOCH) && t.isBefore(Instant.parse("+10000-01-01T00:00:00Z"))
                        ? null : "eventTime '";
            }
            case BOOLEAN -> {
                if (v.isNull() || v.isBoolean()) {
                    yield null;
                }
                if (v.isTextual()) {
                    String s = v.textValue().toLowerCase(Locale.ROOT);
                    yield s.equals("true") || s.equals("false") ? null
                            : "field '" + f.reported() + "' must be a boolean, found '";
                }
                yield "field '" + f.reported() + "' must be a boolean, found " + found;
            }
            case LAZY_OBJECT, OBJECT -> v.isNull() || v.isObject() ? null
                    : "field '" + f.reported() + "' must be an object, found " + found;
            case RESOURCES -> {
                if (v.isNull()) {
                    yield null;
                }
                if (!v.isArray()) {
                    yield "field 'resources' must be an array, found " + found;
                }
                for (JsonNode entry : v) {
                    if (!entry.isObject()) {
                        yield "entries of 'resources' must be objects, found " + describe(entry);
                    }
                }
                yield null;
            }
        };
    }

    private static void assertReadBack(Field f, JsonNode v, CloudTrailEvent e) {
        if (f.accessor() == null) {
            return;
        }
        Object actual = f.accessor().apply(e);
        switch (f.kind()) {
            case STRING -> assertThat(actual).isEqualTo(v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString());
            case REQUIRED_STRING -> {
                if (f.path().equals("eventID") && (v.isNull() || v.textValue().isEmpty())) {
                    assertThat(e.eventIdDerived()).isTrue();
                } else {
                    assertThat(actual).isEqualTo(v.isNull() ? null : v.textValue());
                }
            }
            case TIME -> assertThat(actual).isEqualTo(RecordParser.parseTime(v.textValue()));
            case BOOLEAN -> assertThat(actual).isEqualTo(v.isNull() ? null
                    : v.isBoolean() ? v.booleanValue() : Boolean.valueOf(v.textValue().toLowerCase(Locale.ROOT)));
            case LAZY_OBJECT -> assertThat(actual).hasToString(v.toString()); // 0 reads back as an int, not a long
            default -> {
            }
        }
    }

    /** Sets a dotted path ({@code a.b.0.c}, numbers index arrays) in a record. */
    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = parts[i].matches("\\d+") ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
        }
        ((ObjectNode) node).set(parts[parts.length - 1], value);
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isNull()) {
            return "null";
        }
        return v.isArray() ? "an array" : "an object";
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private CloudTrailCodec.Collected read(byte[] bytes) {
        CloudTrailCodec.Collected got = new CloudTrailCodec.Collected();
        codec.read(new ByteArrayInputStream(bytes), NAME, got);
        return got;
    }

    private static void assertReasons(CloudTrailCodec.Collected got) {
        assertThat(got.rejected).allSatisfy(r -> {
            assertThat(r.reason()).isNotBlank();
            assertThat(r.location()).startsWith(NAME);
        });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** How many bytes a truncated gzip stream yields before it fails. */
    private static int decompressible(byte[] gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (EOFException e) {
            return out.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }
}
