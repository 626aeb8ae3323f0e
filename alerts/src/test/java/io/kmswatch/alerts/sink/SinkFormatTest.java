package io.kmswatch.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Json;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkFormatTest {
    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");
    private static final String KEY = CloudTrailFixtures.KEY_ARN;

    static Alert alert(AlertStatus status, Severity severity) {
        Detection d = new Detection("fp-1", "key-disabled", severity, "KMS key disabled", "DisableKey on the key",
                KEY, CloudTrailFixtures.ACCOUNT, "us-east-1", CloudTrailFixtures.ROLE_ARN,
                CloudTrailFixtures.T0, CloudTrailFixtures.T0.plusSeconds(5), 3, 0, List.of("e-1"),
                Runbook.of(List.of("Who?"), List.of("aws kms enable-key --key-id " + KEY, "aws cloudtrail lookup-events")),
                Map.of(), false);
        Alert a = Alert.from("0123456789abcdef0123456789abcdef", d, List.of("x"));
        return new Alert(a.id(), a.fingerprint(), a.detection(), a.severity(), status, a.title(), a.summary(), a.keyArn(),
                a.accountId(), a.region(), a.principal(), a.count(), 2, a.firstEventTime(), a.lastEventTime(),
                a.evidence(), a.runbook(), a.attributes(), a.sinks());
    }

    @Test
    void shouldPrintOneLineWithKeyCountAndFirstRunbookCommand() {
        String line = ConsoleSink.format(alert(AlertStatus.FIRING, Severity.HIGH), false);

        assertThat(line).doesNotContain("\n").doesNotContain("\u001b")
                .contains("HIGH", "FIRING", "key-disabled", "KMS key disabled", "key=" + KEY, "×2", "(count 3)",
                        "$ aws kms enable-key --key-id " + KEY)
                .doesNotContain("lookup-events");
    }

    @Test
    void shouldColourOnlyWhenAsked() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new ConsoleSink("console", new PrintStream(buf, true, StandardCharsets.UTF_8), true)
                .deliver(alert(AlertStatus.FIRING, Severity.CRITICAL));

        assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith(CloudTrailFixtures.T0.plusSeconds(5).toString())
                .contains("\u001b[1;31mCRITICAL").endsWith("\n");
    }

    @Test
    void shouldBuildSlackMessageWithTextAndBlocks() {
        JsonNode p = SlackSink.payload(alert(AlertStatus.FIRING, Severity.HIGH));

        assertThat(p.path("text").asText()).contains("[FIRING]", "HIGH", "key-disabled", KEY);
        assertThat(p.path("blocks").get(0).path("type").asText()).isEqualTo("header");
        assertThat(p.path("blocks").get(0).path("text").path("text").asText()).isEqualTo("[FIRING] KMS key disabled");
        String all = p.path("blocks").toString();
        assertThat(all).contains("*Severity:*\\nhigh", "*Key:*\\n`" + KEY + "`", "3 events, 2 firings",
                "```aws kms enable-key --key-id " + KEY + "\\naws cloudtrail lookup-events```");
    }

    @Test
    void shouldShapeAlertmanagerAlertWithLabelsAnnotationsAndTimes() {
        AlertmanagerSink sink = new AlertmanagerSink("am", new SinkConfig.Alertmanager(URI.create("http://127.0.0.1:1"),
                URI.create("http://kmswatch/alerts/"), Duration.ofMinutes(1), Duration.ofMinutes(5)),
                Duration.ofSeconds(1), d -> Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        try {
            JsonNode firing = sink.toAm(alert(AlertStatus.FIRING, Severity.HIGH), NOW, false);
            JsonNode ended = sink.toAm(alert(AlertStatus.RESOLVED, Severity.HIGH), NOW, true);

            assertThat(Json.MAPPER.convertValue(firing.path("labels"), new TypeReference<Map<String, String>>() { })).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "alertname", "key-disabled", "severity", "high", "key_arn", KEY, "account", CloudTrailFixtures.ACCOUNT,
                    "region", "us-east-1", "alert_id", "0123456789abcdef0123456789abcdef"));
            assertThat(firing.path("annotations").path("summary").asText()).isEqualTo("KMS key disabled");
            assertThat(firing.path("annotations").path("description").asText()).isEqualTo("DisableKey on the key");
            assertThat(firing.path("annotations").path("runbook").asText()).startsWith("aws kms enable-key");
            assertThat(firing.path("startsAt").asText()).isEqualTo(CloudTrailFixtures.T0.toString());
            assertThat(firing.path("endsAt").asText()).isEqualTo(NOW.plusSeconds(300).toString());
            assertThat(firing.path("generatorURL").asText()).isEqualTo("http://kmswatch/alerts/0123456789abcdef0123456789abcdef");
            assertThat(ended.path("endsAt").asText()).isEqualTo(NOW.toString());
        } finally {
            sink.close();
        }
    }

    @Test
    void shouldAppendOneJsonAlertPerLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/alerts.jsonl");
        try (JsonlSink sink = new JsonlSink("file", file)) {
            sink.deliver(alert(AlertStatus.FIRING, Severity.HIGH));
            sink.deliver(alert(AlertStatus.RESOLVED, Severity.HIGH));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(Json.MAPPER.readValue(lines.get(1), Alert.class)).isEqualTo(alert(AlertStatus.RESOLVED, Severity.HIGH));
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDate() {
        assertThat(HttpPost.retryAfter(Optional.of("3"), NOW)).contains(Duration.ofSeconds(3));
        assertThat(HttpPost.retryAfter(Optional.of("Sun, 29 Nov 2026 06:00:07 GMT"), NOW)).contains(Duration.ofSeconds(7));
        assertThat(HttpPost.retryAfter(Optional.of("Sun, 29 Nov 2026 05:00:00 GMT"), NOW)).contains(Duration.ZERO);
        assertThat(HttpPost.retryAfter(Optional.of("soon"), NOW)).isEmpty();
        assertThat(HttpPost.retryAfter(Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void shouldNameRefusedConnectionsInDeliveryErrors() {
        // The JDK client reports a refused connection as a ConnectException without any message.
        ConnectException refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        assertThat(HttpPost.describe(refused)).isEqualTo("ConnectException connection refused or host unreachable");
        assertThat(HttpPost.describe(new ConnectException("Connection refused")))
                .isEqualTo("ConnectException Connection refused");
        assertThat(HttpPost.describe(new IOException("HTTP/1.1 header parser received no bytes")))
                .isEqualTo("IOException HTTP/1.1 header parser received no bytes");
        assertThat(HttpPost.describe(new EOFException())).isEqualTo("EOFException");
    }

    @Test
    void shouldKeepSecretsOutOfConfigToString() {
        assertThat(new SinkConfig.Slack(URI.create("https://hooks.example/services/T/B/token-123")).toString())
                .doesNotContain("token-123");
        assertThat(new SinkConfig.Webhook(URI.create("https://h.example/x?k=token-456"), Map.of("Authorization", "Bearer s3"))
                .toString()).doesNotContain("token-456").doesNotContain("s3").contains("Authorization");
    }
}
