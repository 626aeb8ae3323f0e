package io.kmswatch.emulator.policy;

import io.kmswatch.emulator.policy.ConditionEvaluator.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionEvaluatorTest {

    @ParameterizedTest(name = "{0} {1} in {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "IpAddress|10.1.2.3|10.0.0.0/8|TRUE",
            "IpAddress|11.1.2.3|10.0.0.0/8|FALSE",
            "IpAddress|192.0.2.7|192.0.2.7|TRUE",
            "IpAddress|192.0.2.7|192.0.2.0/31|FALSE",
            "IpAddress|192.0.2.1|192.0.2.0/31|TRUE",
            "IpAddress|203.0.113.9|0.0.0.0/0|TRUE",
            "IpAddress|2001:db8::1|2001:db8::/32|TRUE",
            "IpAddress|2001:db9::1|2001:db8::/32|FALSE",
            "IpAddress|10.1.2.3|2001:db8::/32|FALSE",
            "IpAddress|kms.amazonaws.com|10.0.0.0/8|FALSE",
            "IpAddress|AWS Internal|0.0.0.0/0|FALSE",
            "IpAddress|300.1.1.1|0.0.0.0/0|FALSE",
            "NotIpAddress|kms.amazonaws.com|10.0.0.0/8|TRUE",
            "NotIpAddress|10.9.9.9|10.0.0.0/8|FALSE",
            "StringLike|arn:aws:iam::1:role/App-x|arn:aws:iam::1:role/App-?|TRUE",
            "StringLike|arn:aws:iam::1:role/App-xy|arn:aws:iam::1:role/App-?|FALSE",
            "StringNotLike|prod-db|test-*|TRUE",
            "StringEqualsIgnoreCase|IT|it|TRUE",
            "StringNotEqualsIgnoreCase|IT|it|FALSE",
            "NumericGreaterThanEquals|30|30|TRUE",
            "NumericGreaterThan|30|30|FALSE",
            "NumericLessThanEquals|7|30|TRUE",
            "NumericNotEquals|7|30|TRUE",
            "NumericEquals|seven|7|FALSE",
            "DateLessThan|2026-01-01T00:00:00Z|2026-06-01T00:00:00Z|TRUE",
            "DateGreaterThan|1767225600|2025-06-01T00:00:00Z|TRUE",
            "DateEquals|2026-01-01|2026-01-01T00:00:00Z|TRUE",
            "Bool|TRUE|true|TRUE",
            "BoolIfExists|false|true|FALSE",
            "ArnLike|arn:aws:kms:us-east-1:111122223333:key/abc|arn:aws:kms:*:111122223333:key/*|TRUE",
            "ArnEquals|arn:aws:kms:us-east-1:111122223333:key/abc|arn:aws:kms:*:444455556666:key/*|FALSE",
            "ArnNotLike|arn:aws:kms:us-east-1:111122223333:key/abc|arn:aws:kms:*:444455556666:*|TRUE",
            "ArnLike|not-an-arn|arn:aws:*|FALSE",
            "StringEquals|arn:aws:iam::111122223333:user/alice|${aws:PrincipalArn}|TRUE",
            "StringEquals|x|${aws:unknown}|FALSE",
            "StringEquals|a*b|a${*}b|TRUE",
            "FancyOperator|x|x|UNSUPPORTED",
            "ForAnyValue:Null|x|true|UNSUPPORTED",
    })
    void shouldApplyOperator(String operator, String contextValue, String policyValue, Outcome expected) {
        Map<String, List<String>> context = Map.of("k", List.of(contextValue),
                "aws:principalarn", List.of("arn:aws:iam::111122223333:user/alice"));

        assertThat(ConditionEvaluator.evaluate(List.of(new ConditionClause(operator, "k", List.of(policyValue))), context))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on missing key: {1}")
    @CsvSource(delimiter = '|', value = {
            "StringEquals|FALSE",
            "StringNotEquals|TRUE",
            "StringEqualsIfExists|TRUE",
            "NotIpAddress|TRUE",
            "ArnNotLike|TRUE",
            "ForAllValues:StringEquals|TRUE",
            "ForAnyValue:StringEquals|FALSE",
            "Bool|FALSE",
    })
    void shouldTreatMissingKeyAsIamDoes(String operator, Outcome expected) {
        assertThat(ConditionEvaluator.evaluate(List.of(new ConditionClause(operator, "absent", List.of("x"))), Map.of()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} vs {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "ForAllValues:StringEquals|a,b|a,b,c|TRUE",
            "ForAllValues:StringEquals|a,d|a,b,c|FALSE",
            "ForAnyValue:StringEquals|d,a|a,b|TRUE",
            "ForAnyValue:StringEquals|d,e|a,b|FALSE",
            "ForAllValues:StringNotEquals|d,e|a,b|TRUE",
            "ForAnyValue:StringNotEquals|a,e|a,b|TRUE",
            "StringEquals|d,a|a|TRUE",
            "StringNotEquals|d,a|a|FALSE",
    })
    void shouldQualifyMultiValuedKeys(String operator, String contextValues, String policyValues, Outcome expected) {
        Map<String, List<String>> context = Map.of("k", Arrays.asList(contextValues.split(",")));

        assertThat(ConditionEvaluator.evaluate(List.of(new ConditionClause(operator, "K",
                Arrays.asList(policyValues.split(",")))), context)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Null {0} with key present={1}: {2}")
    @CsvSource({"true,false,TRUE", "true,true,FALSE", "false,true,TRUE", "false,false,FALSE"})
    void shouldTestPresenceWithNull(String value, boolean present, Outcome expected) {
        Map<String, List<String>> context = present ? Map.of("k", List.of("v")) : Map.of();

        assertThat(ConditionEvaluator.evaluate(List.of(new ConditionClause("Null", "k", List.of(value))), context))
                .isEqualTo(expected);
    }
}
