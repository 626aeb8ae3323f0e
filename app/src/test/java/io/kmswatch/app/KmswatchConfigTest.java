package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KmswatchConfigTest {
    @Test
    void shouldBindTheCommentedExampleFileOfTheRepository() {
        KmswatchConfig c = ConfigFiles.load(Path.of("../kmswatch.example.yaml"), KmswatchConfig.class);

        assertThat(c.kafka().embedded()).isTrue();
        assertThat(c.kafka().partitions()).isEqualTo(4);
        assertThat(c.sources().lookup()).isNotNull();
        assertThat(c.detections().grace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.alerts().suppressionWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(c.metrics().port()).isEqualTo(9464);
        assertThat(c.inventory().enabled()).isFalse();
        assertThat(c.inventory().refresh()).isEqualTo(Duration.ofHours(24));
        assertThat(c.inventory().quotaShare()).isEqualTo(0.5);
    }

    @Test
    void shouldBindAnSqsSourceWithTheEndpointItsQueueUrlNames(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("sqs.yaml"), """
                sources:
                  sqs:
                    queues:
                      - queueUrl: http://127.0.0.1:5000/123456789012/kms-events
                      - {queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/trail", assumeRoleArn: "arn:aws:iam::111122223333:role/r"}
                    waitTime: 5s
                """);
        KmswatchConfig c = ConfigFiles.load(f, KmswatchConfig.class);

        assertThat(c.sources().sqs().queues()).hasSize(2);
        assertThat(c.sources().sqs().queues().get(0).endpoint()).isEqualTo("http://127.0.0.1:5000");
        assertThat(c.sources().sqs().queues().get(1).region()).isEqualTo("eu-west-1");
        assertThat(c.sources().sqs().queues().get(1).endpoint()).isNull();
        assertThat(c.sources().sqs().waitTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.sources().sqs().visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.sources().lookup()).isNull();
    }

    @Test
    void shouldUseDefaultsForAnEmptyFile(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("empty.yaml"), "");
        KmswatchConfig c = ConfigFiles.load(f, KmswatchConfig.class);
        assertThat(c.streams().processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(c.workDir()).isEqualTo(Path.of(".kmswatch"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "kafka: {partitons: 3}|key 'kafka.partitons' (line 1) is not a known setting",
        "detections: {grace: soon}|key 'detections.grace' (line 1): 'soon' is not a valid Duration",
        "streams: {processingGuarantee: maybe}|processingGuarantee must be exactly_once_v2 or at_least_once",
        "detections: {trustedAccounts: [12]}|is not a 12-digit account id",
        "metrics: [1, 2]|key 'metrics'",
        "inventory: {quotaShare: 1.5}|inventory.quotaShare must be in (0, 1)",
        "inventory: {refresh: 10s}|inventory.refresh must be at least 1m",
        "kafka: {bootstrapServers: '${KMSWATCH_TEST_UNSET_VARIABLE}'}|KMSWATCH_TEST_UNSET_VARIABLE",
    })
    void shouldNameTheFileTheKeyAndWhatWasExpected(String yaml, String expected, @TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), yaml);
        assertThatThrownBy(() -> ConfigFiles.load(f, KmswatchConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining(expected);
    }
}
