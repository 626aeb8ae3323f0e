package io.kmswatch.events.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyAnalyzerTest {
    private static final String KEY_ACCOUNT = "111122223333";

    private static String statement(String principal, String action, String condition, String effect) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"s\",\"Effect\":\"" + effect + "\",\"Principal\":"
                + principal + ",\"Action\":" + action + ",\"Resource\":\"*\"" + (condition == null ? "" : ",\"Condition\":"
                + condition) + "}]}";
    }

    @ParameterizedTest(name = "{0} / {1} / {2} / {3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "\"*\"|\"kms:*\"||Allow|public",
            "{\"AWS\":\"*\"}|\"kms:Encrypt\"||Allow|public",
            "{\"AWS\":[\"arn:aws:iam::111122223333:root\",\"*\"]}|[\"kms:Encrypt\",\"kms:Decrypt\"]||Allow|public",
            "{\"AWS\":\"*\"}|\"kms:*\"|{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}|Allow|",
            "{\"AWS\":\"*\"}|\"kms:*\"|{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}|Allow|",
            "{\"AWS\":\"*\"}|\"kms:*\"|{\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}|Allow|public",
            "{\"AWS\":\"*\"}|\"kms:*\"||Deny|",
            "{\"AWS\":\"arn:aws:iam::111122223333:root\"}|\"kms:*\"||Allow|",
            "{\"AWS\":\"arn:aws:iam::444455556666:root\"}|\"kms:Decrypt\"||Allow|external",
            "{\"AWS\":\"444455556666\"}|\"kms:Decrypt\"||Allow|external",
            "{\"AWS\":\"arn:aws:iam::777788889999:role/ci\"}|\"kms:Decrypt\"||Allow|",
            "{\"Service\":\"logs.amazonaws.com\"}|\"kms:*\"||Allow|"})
    void shouldFindOpeningsInEveryPolicyShape(String principal, String action, String condition, String effect,
                                              String expected) {
        var openings = PolicyAnalyzer.openings(TextNode.valueOf(statement(principal, action, condition, effect)),
                KEY_ACCOUNT, "777788889999"::equals);
        if (expected == null) {
            assertThat(openings).isEmpty();
        } else {
            assertThat(openings).extracting(PolicyAnalyzer.Opening::kind).containsOnly(expected);
        }
    }

    @ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "{\"AWS\":\"arn:aws:iam::111122223333:root\"}|\"kms:*\"||true",
            "{\"AWS\":\"111122223333\"}|[\"kms:*\"]||true",
            "{\"AWS\":\"arn:aws:iam::444455556666:root\"}|\"kms:*\"||false",
            "{\"AWS\":\"arn:aws:iam::111122223333:role/admin\"}|\"kms:*\"||false",
            "{\"AWS\":\"arn:aws:iam::111122223333:root\"}|\"kms:Decrypt\"||false",
            "{\"AWS\":\"arn:aws:iam::111122223333:root\"}|\"kms:*\"|{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}|false"})
    void shouldTellWhenThePolicyLetsIamDecide(String principal, String action, String condition, boolean expected) {
        assertThat(PolicyAnalyzer.delegatesToIam(TextNode.valueOf(statement(principal, action, condition, "Allow")),
                KEY_ACCOUNT)).isEqualTo(expected);
    }
}
