package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Feeds thousands of mutated and truncated records and files to the codec: no exception escapes, and
 * every input yields records or rejections with reasons — nothing disappears.
 */
class CodecProperties {
    private static final List<String> RECORDS = List.of(
            CloudTrailFixtures.decrypt().build().rawJson(),
            CloudTrailFixtures.scheduleKeyDeletion(7).build().rawJson(),
            CloudTrailFixtures.putKeyPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}").build().rawJson(),
            CloudTrailFixtures.createGrant("arn:aws:iam::444455556666:role/x", "Decrypt").build().rawJson(),
            CloudTrailFixtures.event("RotateKey").serviceEvent("111122223333").build().rawJson());

    private final CloudTrailCodec codec = new CloudTrailCodec();

    @Property(tries = 3000)
    void everyMutatedRecordIsARecordOrARejectionWithAReason(@ForAll("mutatedRecords") byte[] input) {
        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();

        ReadSummary s = codec.read(new ByteArrayInputStream(input), "fuzz.json", c);

        assertThat(c.records.size() + c.rejected.size()).isPositive();
        assertThat(s.records()).isEqualTo(c.records.size());
        assertThat(c.rejected).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
        assertThat(c.records).allSatisfy(r -> {
            assertThat(r.eventId()).isNotBlank();
            assertThat(r.eventTime()).isNotNull();
        });
    }

    @Property(tries = 1000)
    void truncatedOrCorruptFilesNeverThrowAndKeepEveryGoodRecordBeforeTheDamage(
            @ForAll("files") byte[] file, @ForAll("fraction") double cut, @ForAll boolean gzip) {
        byte[] whole = gzip ? BadInputCorpus.gzip(file) : file;
        byte[] damaged = Arrays.copyOf(whole, (int) (whole.length * cut));
        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();

        codec.read(new ByteArrayInputStream(damaged), "f.json" + (gzip ? ".gz" : ""), c);

        assertThat(c.records.size() + c.rejected.size()).isPositive();
        if (cut == 1.0) {
            assertThat(c.rejected).isEmpty();
        }
        assertThat(c.rejected).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0.0, 1.0), Arbitraries.just(1.0));
    }

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<List<String>> recs = Arbitraries.of(RECORDS).list().ofMinSize(1).ofMaxSize(12);
        return Combinators.combine(recs, Arbitraries.integers().between(0, 3)).as((list, shape) -> {
            String body = String.join(",\n", list);
            String text = switch (shape) {
                case 0 -> "{\"Records\":[" + body + "]}";
                case 1 -> "[" + body + "]";
                case 2 -> String.join("\n", list) + "\n";
                default -> "{\"Events\":[" + String.join(",", list.stream().map(CodecProperties::lookupEvent).toList()) + "]}";
            };
            return text.getBytes(StandardCharsets.UTF_8);
        });
    }

    @Provide
    Arbitrary<byte[]> mutatedRecords() {
        Arbitrary<byte[]> base = Arbitraries.of(RECORDS).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(base, Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 100_000), Arbitraries.bytes()).as((b, kind, pos, value) -> {
            int at = pos % (b.length + 1);
            return switch (kind) {
                case 0, 1, 2, 3 -> ByteEdits.edit(b, kind, pos, value, 40);
                case 4 -> ByteEdits.insert(b, at, (byte) 0);
                case 5 -> replaceValue(b, pos);
                case 6 -> duplicateKey(b);
                default -> ByteEdits.insert(ByteEdits.insert(b, at, (byte) 0xC3), at, (byte) 0xFF);
            };
        });
    }

    /** Swaps the type of one field the model reads: a string becomes a number, object, array or bool. */
    private static byte[] replaceValue(byte[] b, int pos) {
        String s = new String(b, StandardCharsets.UTF_8);
        String[] fields = {"eventTime", "eventName", "eventSource", "eventID", "userIdentity", "resources",
            "readOnly", "awsRegion", "requestParameters", "recipientAccountId"};
        String[] values = {"42", "{\"a\":1}", "[1,2]", "true", "null", "\"\"", "\"2024-99-99T99:99:99Z\""};
        String f = fields[pos % fields.length];
        String v = values[(pos / fields.length) % values.length];
        return s.replaceFirst("\"" + f + "\":(\"[^\"]*\"|\\{[^}]*\\}|\\[[^\\]]*\\]|true|false|null)", "\"" + f + "\":" + v)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] duplicateKey(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.replaceFirst("\\{", "{\"eventName\":\"Dup\",").getBytes(StandardCharsets.UTF_8);
    }

    private static String lookupEvent(String record) {
        try {
            return "{\"EventId\":\"x\",\"CloudTrailEvent\":" + Json.MAPPER.writeValueAsString(record) + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
