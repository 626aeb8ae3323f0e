package io.kmswatch.sigma;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On random records (the codec's fields present, absent, null, of other JSON types, with escapes, beside
 * members whose names hold dots), every rule matches the codec's tree exactly when it matches the record's own.
 */
class CodecFieldsProperties {
    private static final String[] VALUES = {"\"Root\"", "\"root\"", "\"AssumedRole\"", "\"Role\"", "null", "1", "true",
            "false", "\"false\"", "\"AwsServiceEvent\"", "\"10.2.3.4\"", "\"arn:aws:sts::1:assumed-role/aws:x/y\"",
            "\"R\\u006fot\"", "\"\"", "{}", "[\"Root\"]"};
    private static final RuleSet RULES = RuleSet.parse(CodecFieldsTest.RULES, "codec.yml", LoadOptions.strict());

    @Property(tries = 3000)
    void shouldMatchTheCodecsTreeAsTheRecord(@ForAll long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventID\":\"e").append(seed).append('"');
        field(r, b, "eventType");
        field(r, b, "userAgent");
        field(r, b, "sourceIPAddress");
        field(r, b, "readOnly");
        if (r.nextInt(6) == 0) {
            b.append(",\"userIdentity.type\":").append(VALUES[r.nextInt(VALUES.length)]);
        }
        if (r.nextInt(5) > 0) {
            b.append(",\"userIdentity\":{\"x\":1");
            field(r, b, "type");
            field(r, b, "arn");
            if (r.nextInt(8) == 0) {
                b.append(",\"sessionContext.sessionIssuer\":{\"type\":\"Role\"}");
            }
            if (r.nextBoolean()) {
                b.append(",\"sessionContext\":{\"sessionIssuer\":{\"y\":2");
                field(r, b, "type");
                b.append("}}");
            }
            b.append('}');
        }
        b.append('}');
        String json = b.toString();
        CodecFieldsTest.Matches m;
        try {
            m = CodecFieldsTest.matches(RULES, json);
        } catch (io.kmswatch.events.MalformedEventException rejected) {
            return; // a record the codec refuses never reaches the rules
        }
        assertThat(m.codec()).as(json).isEqualTo(m.whole());
    }

    private static void field(Random r, StringBuilder b, String name) {
        if (r.nextInt(4) > 0) {
            b.append(",\"").append(name).append("\":").append(VALUES[r.nextInt(VALUES.length)]);
        }
    }
}
