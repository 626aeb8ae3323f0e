package io.kmswatch.events.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigYamlTest {
    /** A small configuration record, validated as the modules' records are. */
    record Sample(String url, Duration every, List<String> names) {
        Sample {
            if (every != null && every.isNegative()) {
                throw new IllegalArgumentException("every must not be negative");
            }
        }
    }

    private static final Map<String, String> ENV = Map.of("URL", "http://127.0.0.1:1/secret-path");

    @Test
    void shouldSubstituteThenBindWithTheSharedDurationSyntax() {
        Sample s = ConfigYaml.read("url: \"${URL}\"\nevery: 1h30m\nnames: [a, \"${MISSING:-b}\"]\n", ENV::get,
                Sample.class);

        assertThat(s).isEqualTo(new Sample("http://127.0.0.1:1/secret-path", Duration.ofMinutes(90), List.of("a", "b")));
    }

    @Test
    void shouldReadAnEmptyDocumentAsNull() {
        assertThat(ConfigYaml.read("", ENV::get, Sample.class)).isNull();
        assertThat(ConfigYaml.read("# only a comment with ${UNSET}\n", ENV::get, Sample.class)).isNull();
    }

    @Test
    void shouldNameKeyAndLineOfAnUnknownOrInvalidSetting() {
        assertThatThrownBy(() -> ConfigYaml.read("url: x\nevrey: 1h\nnames: [a]\n", ENV::get, Sample.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key 'evrey' (line 2) is not a known setting");
        assertThatThrownBy(() -> ConfigYaml.read("every: \"-PT1H\"\n", ENV::get, Sample.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("every must not be negative");
        assertThatThrownBy(() -> ConfigYaml.read("url: x\nevery: soon\n", ENV::get, Sample.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key 'every' (line 2): ");
        assertThatThrownBy(() -> ConfigYaml.read("url: [unclosed\n", ENV::get, Sample.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(line ");
    }

    @Test
    void shouldNameTheVariableButNeverAValueWhenSubstitutionFails() {
        assertThatThrownBy(() -> ConfigYaml.read("url: ${UNSET}\nother: ${URL}x: [\n", ENV::get, Sample.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNSET")
                .message().doesNotContain("secret-path");
    }
}
