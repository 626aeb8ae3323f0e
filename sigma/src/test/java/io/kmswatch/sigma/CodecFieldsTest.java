package io.kmswatch.sigma;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules on the codec's fields give on its tree what they give on the record's own. */
class CodecFieldsTest {
    static final String RULES = """
            title: root
            id: r-root
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {userIdentity.type: Root}
                filter: {eventType: AwsServiceEvent}
                condition: selection and not filter
            ---
            title: assumed role
            id: r-role
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection:
                    userIdentity.type: AssumedRole
                    userIdentity.sessionContext.sessionIssuer.type: Role
                condition: selection
            ---
            title: no agent
            id: r-null
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {userAgent: null}
                condition: selection
            ---
            title: regex and cidr
            id: r-re
            logsource: {product: aws, service: cloudtrail}
            detection:
                a: {userIdentity.arn|re: '.+:assumed-role/aws:.+'}
                b: {sourceIPAddress|cidr: 10.0.0.0/8}
                c: {readOnly: 'false'}
                condition: 1 of them
            ---
            title: present
            id: r-exists
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {userAgent|exists: true}
                condition: selection
            """;

    /** The rules a record matches as the codec read it, and as its whole tree. */
    record Matches(List<String> codec, List<String> whole) {
    }

    static Matches matches(RuleSet rules, String json) {
        List<String> codec = ids(rules.match(SigmaRecord.of(CloudTrailEvent.parse(json))));
        try {
            return new Matches(codec, ids(rules.match(SigmaRecord.of(Json.MAPPER.readTree(json)))));
        } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
        }
    }

    private static List<String> both(RuleSet rules, String json) {
        Matches m = matches(rules, json);
        assertThat(m.codec()).as(json).isEqualTo(m.whole());
        return m.codec();
    }

    private static List<String> ids(List<SigmaRule> rules) {
        return rules.stream().map(r -> r.info().ruleId()).toList();
    }

    private final RuleSet rules = RuleSet.parse(RULES, "codec.yml", LoadOptions.strict());

    @Test
    void shouldServeRulesOnTheCodecsFieldsOnly() {
        assertThat(rules.rules()).filteredOn(SigmaRule::codecServed).extracting(r -> r.info().ruleId())
                .containsExactly("r-root", "r-role", "r-null", "r-re");
    }

    @Test
    void shouldMatchOnTheCodecsFieldsAsOnTheRecord() {
        assertThat(CloudTrailEvent.parse("{\"eventTime\":\"2026-01-01T00:00:00Z\",\"userIdentity\":{\"type\":\"Root\"}}")
                .fieldsVerbatim()).isTrue();
        assertThat(both(rules, "{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventID\":\"1\",\"userIdentity\":{\"type\":\"Root\"},"
                + "\"sourceIPAddress\":\"10.1.2.3\",\"readOnly\":false}")).containsExactly("r-root", "r-null", "r-re");
        assertThat(both(rules, "{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventID\":\"2\",\"userAgent\":null,"
                + "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/aws:x/y\","
                + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"}}}}"))
                .containsExactly("r-role", "r-null", "r-re", "r-exists");
    }

    @Test
    void shouldReadTheRecordWhenANameWithADotCouldAlsoMatch() {
        String json = "{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventID\":\"3\",\"userIdentity.type\":\"Root\",\"userAgent\":\"x\"}";
        assertThat(CloudTrailEvent.parse(json).fieldsVerbatim()).isFalse();
        assertThat(both(rules, json)).containsExactly("r-root", "r-exists");
    }

    @Test
    void shouldReadTheRecordWhenTheCodecConvertedAValue() {
        String json = "{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventID\":\"4\",\"userAgent\":\"x\",\"readOnly\":\"false\"}";
        CloudTrailEvent e = CloudTrailEvent.parse(json);
        assertThat(e.fieldsVerbatim()).isFalse();
        assertThat(both(rules, json)).containsExactly("r-re", "r-exists");
    }
}
