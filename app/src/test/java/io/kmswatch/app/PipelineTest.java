package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.streams.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineTest {
    /**
     * Detect creates kms-events, kms-detections and its changelog and repartition topics: on a cluster
     * they must be replicated as the broker's default says (as ingest and alerts create theirs), not
     * once, or stopping one broker stops the pipeline ({@code BrokerOutageIT}).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "kafka: {bootstrapServers: 'k1:9092,k2:9092,k3:9092'}|-1",
        "kafka: {bootstrapServers: 'k1:9092', replicationFactor: 2}|2",
        "kafka: {}|1",
        "kafka: {replicationFactor: 1}|1",
    })
    void shouldReplicateDetectTopicsAsConfiguredElseByTheBrokerDefaultOnACluster(String yaml, int expected,
                                                                                 @TempDir Path dir) throws Exception {
        KmswatchConfig config = ConfigFiles.load(Files.writeString(dir.resolve("k.yaml"), yaml), KmswatchConfig.class);
        try (MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", -1)) {
            StreamsSettings settings = Pipeline.on(config, metrics, "k1:9092").detectSettings("detect");
            assertThat(settings.replicationFactor()).isEqualTo(expected);
        }
    }
}
