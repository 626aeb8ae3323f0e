package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The literal a regular expression's every match contains, checked before the expression runs. */
class RegexNeedleTest {
    @Test
    void shouldFindTheLongestMandatoryRun() {
        assertThat(Items.RegexTest.needleOf(".+:assumed-role/aws:.+")).isEqualTo(":assumed-role/aws:");
        assertThat(Items.RegexTest.needleOf("^arn:aws:iam::.*:root$")).isEqualTo("arn:aws:iam::");
        assertThat(Items.RegexTest.needleOf("abc*d")).isEqualTo("ab");
        assertThat(Items.RegexTest.needleOf("x+yz")).isEqualTo("yz");
    }

    @Test
    void shouldGiveNoneWhereARunMayBeAbsentOrIsNotLiteral() {
        assertThat(Items.RegexTest.needleOf("abc|def")).isNull();
        assertThat(Items.RegexTest.needleOf("ab?c")).isNull();
        assertThat(Items.RegexTest.needleOf("(abc)+")).isNull();
        assertThat(Items.RegexTest.needleOf("a\\.b")).isNull();
        assertThat(Items.RegexTest.needleOf("[ab]c")).isNull();
        assertThat(Items.RegexTest.needleOf("a.b")).isNull();
    }

    @Test
    void shouldAgreeWithTheExpressionAloneOnEveryValue() {
        List<String> values = List.of("arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1", "arn:aws:sts::1:assumed-role/Admin/x",
                "ſecret", "SECRET", "Secret", "\u212A" + "elvin", "kelvin", "KELVIN", "");
        for (String regex : List.of(".+:assumed-role/aws:.+", "secret", "kelvin", "^s.*t$")) {
            for (int flags : new int[] {0, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE}) {
                Pattern p = Pattern.compile(regex, flags);
                Items.RegexTest test = Items.RegexTest.of(p);
                for (String v : values) {
                    assertThat(test.test(TextNode.valueOf(v))).as(regex + " flags " + flags + " on " + v)
                            .isEqualTo(p.matcher(v).find());
                }
            }
        }
    }
}
