package io.kmswatch.streams;

import io.kmswatch.events.config.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmswatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DetectionsConfigTest {
    @Test
    void shouldBindTheDetectionsSectionOfAnAppConfig() {
        DetectionsConfig c = DetectionsConfig.fromYaml("""
                kafka: {bootstrap: localhost:9092}
                detections:
                  trustedAccounts: ["444455556666"]
                  trustedPrincipals: ["arn:aws:iam::111122223333:role/deploy-*"]
                  trustedKeyTags: {lifecycle: ephemeral}
                  plannedRetirements:
                    - keyArn: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
                      until: 2026-12-31T00:00:00Z
                      reason: migration to the new key
                  grace: 10m
                  dedupRetention: PT72H
                  rules:
                    decrypt-spike: {factor: 20, floor: 500, window: 10m, learningPeriod: 2h}
                    key-disabled: {severity: critical}
                    new-source-ip: {enabled: false}
                """);
        assertThat(c.grace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.dedupRetention()).isEqualTo(Duration.ofHours(72));
        assertThat(c.isTrustedAccount("444455556666")).isTrue();
        assertThat(c.isTrustedPrincipal("arn:aws:iam::111122223333:role/deploy-prod")).isTrue();
        assertThat(c.isTrustedPrincipal("arn:aws:iam::111122223333:role/app")).isFalse();
        assertThat(c.isPlannedRetirement("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                Instant.parse("2026-12-30T00:00:00Z"))).isTrue();
        RuleSettings spike = c.settings("decrypt-spike", RuleSettings.unset().withSeverity(Severity.HIGH).withFactor(10));
        assertThat(spike.factor()).isEqualTo(20.0);
        assertThat(spike.floor()).isEqualTo(500);
        assertThat(spike.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spike.severity()).isEqualTo(Severity.HIGH);
        assertThat(c.settings("key-disabled", RuleSettings.unset()).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(c.settings("new-source-ip", RuleSettings.unset()).isEnabled()).isFalse();
    }

    @Test
    void shouldUseDefaultsForAnEmptySection() {
        DetectionsConfig c = DetectionsConfig.fromYaml("detections:\n");
        assertThat(c.grace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.awsServiceAllowances()).contains("ec2.amazonaws.com");
    }

    @Test
    void shouldExplainEveryInvalidSetting() {
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {rules: {decrypt-spikes: {}}}"))
                .isInstanceOf(DetectionException.class).hasMessageContaining("unknown detection 'decrypt-spikes'")
                .hasMessageContaining("decrypt-spike,");
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {trustedAccounts: [\"12345\"]}"))
                .hasMessageContaining("'12345' is not a 12-digit account id");
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {grace: soon}"))
                .hasMessageContaining("invalid duration 'soon'");
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {rules: {decrypt-spike: {factor: 0.5}}}"))
                .hasMessageContaining("factor must be at least 1");
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {trustedAcounts: []}"))
                .hasMessageContaining("trustedAcounts");
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {grace: 2h, dedupRetention: 1h}"))
                .hasMessageContaining("dedupRetention");
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {trustedAccounts: [\"${KMSWATCH_SURELY_UNSET_VAR}\"]}"))
                .hasMessageContaining("KMSWATCH_SURELY_UNSET_VAR");
    }

    @Test
    void shouldRefuseATopologyWhoseDedupRetentionIsShorterThanGracePlusWindow() {
        DetectionsConfig c = new DetectionsConfig(null, null, null, null, null, Duration.ofMinutes(15),
                Duration.ofHours(1), null, null);
        assertThatThrownBy(() -> DetectionTopology.build(c, io.kmswatch.events.Topics.DEFAULT))
                .isInstanceOf(DetectionException.class).hasMessageContaining("dedupRetention");
    }

    @Test
    void shouldParseDurationsInBothForms() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void shouldBindTheSigmaSection() {
        DetectionsConfig c = DetectionsConfig.fromYaml(
                "detections: {sigma: {paths: [rules/, my.yml], lenient: true, placeholders: {Admins: [root]}}}");
        assertThat(c.sigma().paths()).containsExactly("rules/", "my.yml");
        assertThat(c.sigma().lenient()).isTrue();
        assertThat(c.sigma().placeholders()).containsEntry("Admins", java.util.List.of("root"));
        assertThat(DetectionsConfig.defaultConfig().sigma().paths()).isEmpty();
        assertThatThrownBy(() -> DetectionsConfig.fromYaml("detections: {sigma: {path: [x]}}"))
                .hasMessageContaining("path");
    }
}
