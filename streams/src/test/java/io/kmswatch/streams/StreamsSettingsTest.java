package io.kmswatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamsSettingsTest {
    private static StreamsSettings withReplication(int rf) {
        return new StreamsSettings("k1:9092", null, null, null, null, null, null, null, null, rf);
    }

    @Test
    void shouldHandTheBrokerDefaultReplicationToStreams() {
        StreamsSettings settings = withReplication(StreamsSettings.BROKER_DEFAULT_REPLICATION);

        assertThat(settings.replicationFactor()).isEqualTo(-1);
        assertThat(new DetectApp(settings, DetectionsConfig.defaultConfig(), new StreamsMetrics()).streamsProperties())
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -2})
    void shouldRejectAReplicationFactorThatIsNeitherPositiveNorTheBrokerDefault(int rf) {
        assertThatThrownBy(() -> withReplication(rf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicationFactor must be at least 1, or -1 for the broker's default, got " + rf);
    }

    @Test
    void shouldReplicateOnceByDefault() {
        assertThat(StreamsSettings.of("k1:9092").replicationFactor()).isEqualTo(1);
    }
}
