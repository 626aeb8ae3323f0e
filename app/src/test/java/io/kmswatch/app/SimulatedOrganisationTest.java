package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.emulator.traffic.TrafficProfile;
import io.kmswatch.streams.DetectionsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedOrganisationTest {
    private final DetectionsConfig config = SimulatedOrganisation.detections(TrafficProfile.defaults());

    @Test
    void shouldLearnNoveltyForTheWholeWarmUpBeforeTheFirstScenario() {
        assertThat(config.rules().get("new-principal-on-key").learningPeriod()).isEqualTo(Duration.ofHours(1));
        assertThat(config.rules().get("new-source-ip").learningPeriod()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldKeepTheDecryptSpikeBaselineAtItsDefaultHour() {
        assertThat(config.rules()).doesNotContainKey("decrypt-spike");
    }
}
