package io.kmswatch.events.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
    private static final Map<String, String> ENV = Map.of(
            "SLACK_URL", "http://127.0.0.1:1/services/T/B/secret-token",
            "EMPTY", "",
            "DOLLAR", "a${b}");

    private static String apply(String text) {
        return EnvSubstitution.apply(text, ENV::get);
    }

    @Test
    void shouldReplaceSetVariable() {
        assertThat(apply("url: \"${SLACK_URL}\"\n"))
                .isEqualTo("url: \"http://127.0.0.1:1/services/T/B/secret-token\"\n");
    }

    @Test
    void shouldUseDefaultWhenUnsetOrEmpty() {
        assertThat(apply("a: ${MISSING:-x}\nb: ${EMPTY:-y}\nc: ${MISSING:-}")).isEqualTo("a: x\nb: y\nc: ");
    }

    @Test
    void shouldKeepEscapedAndLoneDollarsAsWritten() {
        assertThat(apply("p: $${NOT_A_VAR} costs $5 and $HOME")).isEqualTo("p: ${NOT_A_VAR} costs $5 and $HOME");
    }

    @Test
    void shouldNotRescanSubstitutedValues() {
        assertThat(apply("v: ${DOLLAR}")).isEqualTo("v: a${b}");
    }

    @Test
    void shouldNameEveryMissingVariableWithLineButNoValue() {
        assertThatThrownBy(() -> apply("a: ${SLACK_URL}\nb: ${NOPE}\nc: ${ALSO_NOPE}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2: environment variable NOPE is not set")
                .hasMessageContaining("line 3: environment variable ALSO_NOPE is not set")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void shouldRejectMalformedReferences() {
        assertThatThrownBy(() -> apply("a: ${not valid}")).hasMessageContaining("is not a variable name");
        assertThatThrownBy(() -> apply("a: ${OPEN\nb: 1")).hasMessageContaining("line 1: unterminated");
    }

    @org.junit.jupiter.api.Test
    void shouldLeaveCommentLinesAlone() {
        String text = "# url: \"${UNSET_IN_COMMENT}\"\n  # ${ALSO}\nkey: ${SET}  # trailing ${SET}\n";
        String out = EnvSubstitution.apply(text, n -> "SET".equals(n) ? "v" : null);
        org.assertj.core.api.Assertions.assertThat(out)
                .isEqualTo("# url: \"${UNSET_IN_COMMENT}\"\n  # ${ALSO}\nkey: v  # trailing v\n");
    }
}
