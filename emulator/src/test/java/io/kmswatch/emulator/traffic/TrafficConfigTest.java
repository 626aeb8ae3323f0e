package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldFillDefaults() {
        TrafficConfig c = TrafficConfig.defaults();

        assertThat(c.seed()).isEqualTo(1L);
        assertThat(c.rate()).isEqualTo(20.0);
        assertThat(c.duration()).isEqualTo(Duration.ofHours(1));
        assertThat(c.clockSpeed()).isEqualTo(60.0);
        assertThat(c.clockStart()).isEqualTo(TrafficConfig.DEFAULT_START);
        assertThat(c.endpoint()).isNull();
        assertThat(c.scenarios()).containsExactly("all");
        assertThat(c.labels()).isEqualTo(Path.of("labels.jsonl"));
        assertThat(c.realSeconds()).isEqualTo(60.0);
    }

    @Test
    void shouldBindYaml() throws IOException {
        Path file = dir.resolve("traffic.yaml");
        Files.writeString(file, """
                seed: 42
                rate: 5
                duration: PT168H
                clockSpeed: 10080
                clockStart: 2026-01-05T00:00:00Z
                endpoint: http://127.0.0.1:4599
                scenarios: [decrypt-spike, root-key-usage]
                incidentEvery: PT6H
                labels: out/labels.jsonl
                """);

        TrafficConfig c = TrafficConfig.load(file);

        assertThat(c).isEqualTo(new TrafficConfig(42L, 5.0, Duration.ofDays(7), 10080.0,
                Instant.parse("2026-01-05T00:00:00Z"), URI.create("http://127.0.0.1:4599"),
                List.of("decrypt-spike", "root-key-usage"), Duration.ofHours(6), null, Path.of("out/labels.jsonl")));
        assertThat(c.shape()).isEqualTo(TrafficShape.DAILY);
    }

    @Test
    void shouldBindTheFlatShapeAndRefuseAnUnknownOne() throws IOException {
        Path flat = dir.resolve("flat.yaml");
        Files.writeString(flat, "rate: 2000\nshape: flat\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "shape: weekly\n");

        assertThat(TrafficConfig.load(flat).shape()).isEqualTo(TrafficShape.FLAT);
        assertThat(TrafficConfig.defaults().withShape(TrafficShape.FLAT).withSeed(3).shape()).isEqualTo(TrafficShape.FLAT);
        assertThatThrownBy(() -> TrafficConfig.load(bad)).isInstanceOf(EmulatorException.class)
                .hasMessageContaining("shape").hasMessageContaining("weekly");
    }

    @Test
    void shouldRejectUnknownYamlKey() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "sede: 42\n");

        assertThatThrownBy(() -> TrafficConfig.load(file)).isInstanceOf(EmulatorException.class).hasMessageContaining("sede");
    }

    @Test
    void shouldRejectNonPositiveRate() {
        assertThatThrownBy(() -> new TrafficConfig(null, 0.0, null, null, null, null, null, null, null, null))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("rate");
    }

    @Test
    void shouldRejectNonPositiveDuration() {
        assertThatThrownBy(() -> new TrafficConfig(null, null, Duration.ZERO, null, null, null, null, null, null, null))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("duration");
    }

    @Test
    void shouldRejectNonPositiveClockSpeed() {
        assertThatThrownBy(() -> new TrafficConfig(null, null, null, -1.0, null, null, null, null, null, null))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("clockSpeed");
    }

    @Test
    void shouldRejectNegativeIncidentEvery() {
        assertThatThrownBy(() -> new TrafficConfig(null, null, null, null, null, null, null, Duration.ofMinutes(-1), null, null))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("incidentEvery");
    }

    @Test
    void shouldRejectNonHttpEndpoint() {
        assertThatThrownBy(() -> new TrafficConfig(null, null, null, null, null, URI.create("ftp://x"), null, null, null, null))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("endpoint");
    }
}
