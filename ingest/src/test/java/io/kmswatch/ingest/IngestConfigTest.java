package io.kmswatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
    private static IngestConfig parse(String yaml) {
        return IngestConfig.parse(yaml, Map.of("BOOT", "broker:9092")::get, "test.yaml");
    }

    @Test
    void shouldBindEverySourceWithDurationsAndEnvironmentSubstitution() {
        IngestConfig c = parse("""
                topicPrefix: prod.
                kafka:
                  bootstrap.servers: ${BOOT}
                  linger.ms: 5
                sources:
                  lookup:
                    regions: [us-east-1, eu-west-1]
                    lookBack: 20m
                    pollInterval: 30s
                    endpointUrl: http://localhost:4599
                    accounts:
                      - id: "111122223333"
                        profile: prod
                      - assumeRoleArn: arn:aws:iam::444455556666:role/reader
                        regions: [us-west-2]
                  files:
                    paths: [/var/log/ct]
                    follow: true
                  s3:
                    buckets: [trail-bucket]
                    prefixes: [org/]
                    endpointUrl: http://127.0.0.1:5000
                """);
        assertThat(c.kafka()).containsEntry("bootstrap.servers", "broker:9092").containsEntry("linger.ms", "5");
        assertThat(c.topics().kmsEvents().name()).isEqualTo("prod.kms-events");
        assertThat(c.checkpointTopicName()).isEqualTo("prod.kms-ingest-checkpoints");
        var lookup = c.sources().lookup();
        assertThat(lookup.lookBack()).isEqualTo(Duration.ofMinutes(20));
        assertThat(lookup.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(lookup.requestsPerSecond()).isEqualTo(2.0);
        assertThat(lookup.accounts()).hasSize(2);
        assertThat(lookup.accounts().get(1).id()).isEqualTo("444455556666");
        assertThat(lookup.regionsOf(lookup.accounts().get(0))).containsExactly("us-east-1", "eu-west-1");
        assertThat(lookup.regionsOf(lookup.accounts().get(1))).containsExactly("us-west-2");
        assertThat(lookup.profileOf(lookup.accounts().get(0))).isEqualTo("prod");
        assertThat(c.sources().files().paths()).containsExactly(Path.of("/var/log/ct"));
        assertThat(c.sources().files().follow()).isTrue();
        assertThat(c.sources().s3().prefixes()).containsExactly("org/");
        assertThat(c.sources().s3().pathStyle()).isTrue();
    }

    @Test
    void shouldApplyDefaultsWhenSectionsAreEmpty() {
        IngestConfig c = parse("""
                kafka: {bootstrap.servers: localhost:9092}
                sources:
                  lookup: {}
                """);
        assertThat(c.topicPrefix()).isEmpty();
        assertThat(c.createTopics()).isTrue();
        assertThat(c.sources().lookup().lookBack()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.sources().lookup().maxResults()).isEqualTo(50);
        assertThat(c.sources().lookup().accounts()).singleElement()
                .satisfies(a -> assertThat(a.id()).isEqualTo("default"));
        assertThat(c.sources().files()).isNull();
        assertThat(c.sources().s3()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sources: {lookup: {requestsPerSecond: 5}}|requestsPerSecond must be in (0, 2]",
            "sources: {lookup: {maxResults: 100}}|maxResults must be 1..50",
            "sources: {lookup: {lookBack: -5m}}|invalid duration",
            "sources: {lookup: {pollInterval: soon}}|invalid duration",
            "sources: {lookup: {accounts: [{assumeRoleArn: 'role/x'}]}}|is not an IAM role ARN",
            "sources: {files: {follow: true}}|sources.files.paths must name at least one",
            "sources: {s3: {buckets: [Bad_Bucket]}}|is not a bucket name",
            "kafka: {acks: '1'}|acks=all",
            "kafka: {enable.idempotence: 'false'}|enable.idempotence=false is not allowed",
            "sources: {lookpu: {}}|lookpu",
            "topicPrefix: 'a b'|may only hold letters",
    })
    void shouldRejectInvalidConfigWithClearMessage(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining(message);
    }

    @Test
    void shouldNameTheVariableWhenEnvironmentVariableIsMissing() {
        assertThatThrownBy(() -> parse("kafka: {bootstrap.servers: '${NOPE}'}"))
                .isInstanceOf(IngestException.class).hasMessageContaining("NOPE");
    }
}
