package io.kmswatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void soakDurationsParseLikeTheRestOfTheCommandLine() {
        assertThat(BenchCommand.parseDuration("30m")).hasMinutes(30);
        assertThat(BenchCommand.parseDuration("90s")).hasSeconds(90);
        assertThat(BenchCommand.parseDuration("1h30m")).hasMinutes(90);
        assertThat(BenchCommand.parseDuration("PT5M")).hasMinutes(5);
        assertThatThrownBy(() -> BenchCommand.parseDuration("soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> BenchCommand.parseDuration("0s")).hasMessageContaining("at least 1 s");
    }
}
