package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class CloudTrailCodecTest {
    private final CloudTrailCodec codec = new CloudTrailCodec();

    private static final String A = CloudTrailFixtures.decrypt().eventId("id-a").build().rawJson();
    private static final String B = CloudTrailFixtures.disableKey().eventId("id-b").build().rawJson();
    /** Pretty-printed, to prove bytes are kept exactly, whitespace and all. */
    private static final String C = "{\n  \"eventVersion\": \"1.08\",\n  \"eventTime\": \"2024-03-01T12:00:05Z\",\n"
            + "  \"eventSource\": \"kms.amazonaws.com\",\n  \"eventName\": \"Encrypt\",\n  \"eventID\": \"id-c\",\n"
            + "  \"requestParameters\": {\"keyId\": \"alias/app\", \"n\": 1.50}\n}";

    private CloudTrailCodec.Collected read(byte[] bytes, String name) {
        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();
        codec.read(new ByteArrayInputStream(bytes), name, c);
        return c;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private static List<String> ids(CloudTrailCodec.Collected c) {
        return c.records.stream().map(CloudTrailEvent::eventId).toList();
    }

    @Test
    void shouldReadS3LogFileAndKeepEachRecordsBytesExactly() throws IOException {
        byte[] file = gzip(utf8("{\"Records\":[" + A + ",\n" + C + "," + B + "]}"));

        CloudTrailCodec.Collected c = read(file, "x.json.gz");

        assertThat(ids(c)).containsExactly("id-a", "id-c", "id-b");
        assertThat(c.records.get(1).rawJson()).isEqualTo(C);
        assertThat(c.records.get(0).rawJson()).isEqualTo(A);
        assertThat(c.rejected).isEmpty();
    }

    @Test
    void shouldReadRecordsWhenRecordsFieldIsNotFirst() {
        CloudTrailCodec.Collected c = read(utf8("{\"note\":{\"a\":[1,2]},\"Records\":[" + A + "],\"tail\":1}"), "x");
        assertThat(ids(c)).containsExactly("id-a");
    }

    @Test
    void shouldReadLookupEventsOutputWithEmbeddedJsonStrings() throws IOException {
        String events = "{\"Events\":[{\"EventId\":\"id-a\",\"EventName\":\"Decrypt\",\"CloudTrailEvent\":"
                + Json.MAPPER.writeValueAsString(A) + "},{\"EventId\":\"id-c\",\"CloudTrailEvent\":"
                + Json.MAPPER.writeValueAsString(C) + "}],\"NextToken\":\"t\"}";

        CloudTrailCodec.Collected c = read(utf8(events), "lookup.json");

        assertThat(ids(c)).containsExactly("id-a", "id-c");
        assertThat(c.records.get(1).rawJson()).isEqualTo(C);
    }

    @Test
    void shouldReadEventBridgeEnvelopes() {
        String env = "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.kms\","
                + "\"account\":\"111122223333\",\"time\":\"2024-03-01T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":" + C + "}";

        CloudTrailCodec.Collected single = read(utf8(env), "eb.json");
        CloudTrailCodec.Collected ndjson = read(utf8(env.replace("\n", " ") + "\n" + env.replace("\n", " ") + "\n"), "eb.ndjson");

        assertThat(ids(single)).containsExactly("id-c");
        assertThat(single.records.get(0).rawJson()).isEqualTo(C);
        assertThat(ids(ndjson)).containsExactly("id-c", "id-c");
    }

    @Test
    void shouldReadBareArraysAndSingleRecords() {
        assertThat(ids(read(utf8("[" + C + ",\n" + A + "]"), "arr.json"))).containsExactly("id-c", "id-a");
        assertThat(ids(read(utf8(C), "one.json"))).containsExactly("id-c");
    }

    @Test
    void shouldReadNdjsonAndRejectBadLinesWithoutStopping() {
        String nd = A + "\n" + "this is not json\n\n" + B + "\n{\"eventName\":\"Decrypt\"}\n";

        CloudTrailCodec.Collected c = read(utf8(nd), "f.ndjson");

        assertThat(ids(c)).containsExactly("id-a", "id-b");
        assertThat(c.rejected).hasSize(2);
        assertThat(c.rejected.get(0).location()).isEqualTo("f.ndjson:line 2");
        assertThat(c.rejected.get(0).reason()).contains("not valid JSON");
        assertThat(c.rejected.get(1).location()).isEqualTo("f.ndjson:line 5");
        assertThat(c.rejected.get(1).reason()).isEqualTo("record has no eventTime");
    }

    @Test
    void shouldReadZipArchivesEntryByEntry() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.json"));
            zip.write(utf8("{\"Records\":[" + A + "]}"));
            zip.putNextEntry(new ZipEntry("b.json.gz"));
            zip.write(gzip(utf8("[" + B + "]")));
            zip.putNextEntry(new ZipEntry("broken.json"));
            zip.write(utf8("{\"Records\":[" + C + ",{\"eventTime\":"));
        }

        CloudTrailCodec.Collected c = read(out.toByteArray(), "logs.zip");

        assertThat(ids(c)).containsExactly("id-a", "id-b", "id-c");
        assertThat(c.rejected).singleElement().satisfies(r -> assertThat(r.location()).startsWith("logs.zip!broken.json"));
    }

    @Test
    void shouldKeepGoodRecordsOfTruncatedGzipAndRejectTheRest() throws IOException {
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < 200; i++) {
            sb.append(i == 0 ? "" : ",").append(CloudTrailFixtures.decrypt().eventId("r" + i).build().rawJson());
        }
        byte[] gz = gzip(utf8(sb.append("]}").toString()));
        byte[] truncated = Arrays.copyOf(gz, gz.length * 2 / 3);

        CloudTrailCodec.Collected c = read(truncated, "cut.json.gz");

        assertThat(c.records.size()).isBetween(1, 199);
        assertThat(ids(c)).startsWith("r0", "r1");
        assertThat(c.rejected).singleElement().satisfies(r -> assertThat(r.reason()).contains("unreadable input"));
    }

    @Test
    void shouldRejectRecordWithWrongTypedFieldAndContinue() {
        String bad = A.replace("\"eventName\":\"Decrypt\"", "\"eventName\":42");
        String noTime = B.replaceFirst("\"eventTime\":\"[^\"]+\",", "");
        String badTime = C.replace("2024-03-01T12:00:05Z", "yesterday");

        CloudTrailCodec.Collected c = read(utf8("{\"Records\":[" + bad + "," + noTime + "," + badTime + "," + A + "]}"), "f");

        assertThat(ids(c)).containsExactly("id-a");
        assertThat(c.rejected).extracting(Rejected::reason).containsExactly(
                "field 'eventName' must be a string, found a number",
                "record has no eventTime",
                "eventTime 'yesterday' is not a timestamp");
        assertThat(c.rejected).extracting(Rejected::location).containsExactly("f:record 1", "f:record 2", "f:record 3");
        assertThat(new String(c.rejected.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo(bad);
    }

    @Test
    void shouldDeriveAStableEventIdWhenMissing() {
        String noId = C.replace("  \"eventID\": \"id-c\",\n", "");

        CloudTrailEvent first = read(utf8(noId), "a").records.get(0);
        CloudTrailEvent second = CloudTrailEvent.parse(noId);

        assertThat(first.eventIdDerived()).isTrue();
        assertThat(first.eventId()).startsWith("derived-").isEqualTo(second.eventId());
    }

    @Test
    void shouldYieldNothingForADigestFileReadByContent() throws IOException {
        // which paths are digests is the file sources' business (ingest LogFilesTest); the codec knows a
        // digest by its content, whatever the file is called
        assertThat(read(gzip(utf8("{\"digestStartTime\":\"x\"}")), "d.json.gz"))
                .satisfies(c -> assertThat(c.records).isEmpty())
                .satisfies(c -> assertThat(c.rejected).isEmpty());
        assertThat(read(utf8("{\"awsAccountId\":\"1\",\"digestStartTime\":\"x\",\"logFiles\":[]}"), "odd.json"))
                .satisfies(c -> assertThat(c.records).isEmpty())
                .satisfies(c -> assertThat(c.rejected).isEmpty());
        assertThat(ids(read(gzip(utf8("{\"Records\":[" + A + "]}")), "l.json.gz"))).containsExactly("id-a");
    }

    @Test
    void shouldRejectEmptyAndNonJsonInputsWithReasons() {
        assertThat(read(new byte[0], "empty.json").rejected).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("empty input"));
        assertThat(read(utf8("hello"), "t.txt").rejected).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("not JSON"));
        assertThat(read(utf8("[1, \"x\", " + A + "]"), "mixed.json"))
                .satisfies(c -> {
                    assertThat(ids(c)).containsExactly("id-a");
                    assertThat(c.rejected).hasSize(2);
                });
        assertThat(read(utf8("{\"hello\":\"world\"}"), "other.json").rejected).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("not a CloudTrail record"));
    }

    @Test
    void shouldRejectRecordsOverTheSizeLimitAndReadTheNextOne() {
        CloudTrailCodec small = new CloudTrailCodec(64 * 1024);
        String huge = A.replace("\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"",
                "\"encryptionAlgorithm\":\"" + "x".repeat(200_000) + "\"");
        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();

        small.read(new ByteArrayInputStream(utf8("{\"Records\":[" + huge + "," + B + "]}")), "big", c);

        assertThat(ids(c)).containsExactly("id-b");
        assertThat(c.rejected).singleElement().satisfies(r -> {
            assertThat(r.reason()).startsWith("record larger than");
            assertThat(r.raw().length).isLessThanOrEqualTo(Rejected.MAX_RAW_BYTES);
        });
    }

    @Test
    void shouldRejectDeeplyNestedJsonWithoutStackOverflow() {
        String deep = "{\"Records\":[" + "[".repeat(100_000) + "]".repeat(100_000) + "]}";
        CloudTrailCodec.Collected c = read(utf8(deep), "deep.json");
        assertThat(c.records).isEmpty();
        assertThat(c.rejected).isNotEmpty();
    }

    @Test
    void shouldReadLooseTimestampFormatsAsUtc() {
        CloudTrailEvent e = CloudTrailEvent.parse(C.replace("2024-03-01T12:00:05Z", "2021-10-19 00:56:05"));
        assertThat(e.eventTime()).hasToString("2021-10-19T00:56:05Z");
        CloudTrailEvent f = CloudTrailEvent.parse(C.replace("2024-03-01T12:00:05Z", "2025-03-05 21:19:44.000000000"));
        assertThat(f.eventTime()).hasToString("2025-03-05T21:19:44Z");
    }
}
