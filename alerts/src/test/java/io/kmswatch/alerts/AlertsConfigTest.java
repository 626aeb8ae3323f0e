package io.kmswatch.alerts;

import io.kmswatch.events.config.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.events.Severity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertsConfigTest {
    private static final String YAML = """
            ingest: {ignored: true}
            alerts:
              suppressionWindow: 30m
              suppressionWindows: {decrypt-spike: 15m, key-disabled: PT2H}
              stateRetention: 7d
              routes:
                - name: prod
                  match: {severity: high, keyTags: {env: prod}, accounts: ["111122223333"]}
                  sinks: [pager, slack]
                  continue: true
                - match: {detections: [decrypt-*]}
                  sinks: [slack]
              defaultSinks: [console, file]
              silences:
                - id: drill
                  matchers: ['detection="key-disabled"', 'region=~"eu-.*"']
                  endsAt: 2026-12-01T00:00:00Z
                  comment: drill
              sinks:
                slack: {type: slack, url: "${SLACK_URL}"}
                pager: {type: webhook, url: "http://127.0.0.1:8080/hook", headers: {Authorization: "Bearer ${TOKEN:-none}"}}
                file: {type: jsonl, path: /tmp/alerts.jsonl}
                am: {type: alertmanager, url: "http://127.0.0.1:9093", generatorUrl: "http://kmswatch/a/", repostInterval: 30s}
                cw: {type: cloudwatch, region: us-east-1, endpoint: "http://127.0.0.1:4566"}
                bus: {type: kafka}
              delivery: {giveUpAfter: 2m, giveUpAfterBySink: {slack: 1h}, initialBackoff: 200ms, maxBackoff: 5s,
                         jitter: 0.25, attemptTimeout: 2s, maxQueued: 50}
            """;

    @Test
    void shouldBindEverySectionAfterSubstitution() {
        AlertsConfig c = AlertsConfig.fromYaml(YAML, Map.of("SLACK_URL", "https://example.invalid/services/T/B/x")::get);

        assertThat(c.suppressionWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.suppressionWindowFor("decrypt-spike")).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.suppressionWindowFor("key-disabled")).isEqualTo(Duration.ofHours(2));
        assertThat(c.suppressionWindowFor("root-key-usage")).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.stateRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.routes()).hasSize(2);
        RouteConfig prod = c.routes().get(0);
        assertThat(prod.continueMatching()).isTrue();
        assertThat(prod.match().severity()).isEqualTo(Severity.HIGH);
        assertThat(prod.match().keyTags()).containsEntry("env", "prod");
        assertThat(c.routes().get(1).name()).isNull();
        assertThat(c.defaultSinks()).containsExactly("console", "file");
        assertThat(c.silences()).singleElement().satisfies(s -> {
            assertThat(s.endsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(s.parsedMatchers()).extracting(LabelMatcher::op)
                    .containsExactly(LabelMatcher.Op.EQUAL, LabelMatcher.Op.REGEX);
        });
        assertThat(c.sinks()).containsKeys("slack", "pager", "file", "am", "cw", "bus", "console");
        assertThat(c.sinks().get("slack")).isEqualTo(new SinkConfig.Slack(URI.create("https://example.invalid/services/T/B/x")));
        assertThat(((SinkConfig.Webhook) c.sinks().get("pager")).headers()).containsEntry("Authorization", "Bearer none");
        assertThat(c.sinks().get("file")).isEqualTo(new SinkConfig.Jsonl(Path.of("/tmp/alerts.jsonl")));
        SinkConfig.Alertmanager am = (SinkConfig.Alertmanager) c.sinks().get("am");
        assertThat(am.repostInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(am.resolveTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.sinks().get("cw")).isEqualTo(new SinkConfig.CloudWatch("KmsWatch", "us-east-1", URI.create("http://127.0.0.1:4566")));
        assertThat(c.sinks().get("bus")).isEqualTo(new SinkConfig.Kafka(null));
        assertThat(c.delivery().giveUpAfterFor("pager")).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.delivery().giveUpAfterFor("slack")).isEqualTo(Duration.ofHours(1));
        assertThat(c.delivery().jitter()).isEqualTo(0.25);
        assertThat(c.delivery().maxQueued()).isEqualTo(50);
        assertThat(c.delivery().maxRetryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.delivery().attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldUseDefaultsWithoutAlertsSection() {
        AlertsConfig c = AlertsConfig.fromYaml("ingest: {}\n", k -> null);

        assertThat(c).isEqualTo(AlertsConfig.defaultConfig());
        assertThat(c.suppressionWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(c.defaultSinks()).containsExactly("console");
        assertThat(c.sinks()).containsOnlyKeys("console");
        assertThat(c.delivery()).isEqualTo(DeliveryConfig.defaultConfig());
    }

    @Test
    void shouldNameMissingVariableWithoutLeakingOthers() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml(YAML, k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLACK_URL is not set");
    }

    @Test
    void shouldRejectRouteToUndefinedSink() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {routes: [{sinks: [nowhere]}]}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sink 'nowhere' is used by a route but not defined");
    }

    @Test
    void shouldRejectUnknownKeysWithTheirPath() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {routes: [{sinks: [console], contine: true}]}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alerts.routes[0].contine");
    }

    @Test
    void shouldRejectUnknownSinkType() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {sinks: {x: {type: pager}}}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alerts.sinks.x");
    }

    @Test
    void shouldRejectInvalidSinkSettingsWithoutPrintingTheUrl() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {sinks: {s: {type: slack, url: \"ftp://secret-host/T/B/token\"}}}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slack sink url must be an absolute http(s) URL")
                .hasMessageNotContaining("token");
    }

    @Test
    void shouldRejectSilenceWithoutEndOrMatchers() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {silences: [{matchers: ['a=\"b\"']}]}", k -> null))
                .hasMessageContaining("needs endsAt");
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {silences: [{endsAt: 2026-01-01T00:00:00Z}]}", k -> null))
                .hasMessageContaining("at least one matcher");
        assertThatThrownBy(() -> AlertsConfig.fromYaml(
                "alerts: {silences: [{matchers: ['a~b'], endsAt: 2026-01-01T00:00:00Z}]}", k -> null))
                .hasMessageContaining("is not a matcher");
    }

    @Test
    void shouldRejectNonPositiveWindows() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {suppressionWindow: 0s}", k -> null))
                .hasMessageContaining("suppressionWindow must be a positive duration");
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {suppressionWindow: soon}", k -> null))
                .hasMessageContaining("invalid duration 'soon'");
    }

    @Test
    void shouldAddShortcutSinksAsCatchAllWithUniqueNames() {
        AlertsConfig c = AlertsConfig.defaultConfig().withShortcutSinks(List.of(
                SinkSpec.parse("alertmanager=http://127.0.0.1:9093"),
                SinkSpec.parse("webhook=http://127.0.0.1:8080/a"),
                SinkSpec.parse("webhook=http://127.0.0.1:8080/b"),
                SinkSpec.parse("jsonl=out/alerts.jsonl")));

        assertThat(c.catchAllSinks()).containsExactly("cli-alertmanager", "cli-webhook", "cli-webhook-2", "cli-jsonl");
        assertThat(c.sinks().get("cli-webhook-2")).isEqualTo(new SinkConfig.Webhook(URI.create("http://127.0.0.1:8080/b"), null));
        assertThat(c.defaultSinks()).containsExactly("console");
    }

    @ParameterizedTest
    @CsvSource({
            "slack=http://127.0.0.1:1/services/T/B/X, slack",
            "console, console",
            "kafka, kafka",
            "kafka=audit-alerts, kafka",
            "cloudwatch=MyNs, cloudwatch",
            "JSONL=a.jsonl, jsonl"})
    void shouldParseSinkShortcut(String text, String type) {
        assertThat(SinkSpec.parse(text).type()).isEqualTo(type);
        assertThat(SinkSpec.parse(text).toSinkConfig().type()).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pagerduty=http://x | unknown sink type 'pagerduty'",
            "webhook | --sink webhook needs a target",
            "jsonl= | --sink jsonl needs a target",
            "alertmanager=not a url | --sink alertmanager: not a URL",
            "webhook=file:///etc/passwd | webhook sink url must be an absolute http(s) URL"})
    void shouldRejectBadSinkShortcut(String text, String message) {
        assertThatThrownBy(() -> SinkSpec.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "1h30m, 5400000", "2d, 172800000", "PT1H, 3600000", "90, 90000"})
    void shouldParseDurationsAsPeopleWriteThem(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{maxAttempts: 20} | delivery.maxAttempts is no longer supported | set delivery.giveUpAfter instead",
            "{maxBackoff: 30s, maxInFlight: 500} | delivery.maxInFlight is no longer supported | set delivery.maxQueued instead"})
    void shouldRejectSettingsOfTheEarlierDeliveryLoopNamingWhatReplacedThem(String delivery, String what, String instead) {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {delivery: " + delivery + "}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alerts.delivery")
                .hasMessageContaining(what)
                .hasMessageContaining(instead);
    }

    @Test
    void shouldRejectGiveUpAfterForAnUndefinedSinkAndUnknownDeliveryKeys() {
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {delivery: {giveUpAfterBySink: {pagr: 1h}}}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery.giveUpAfterBySink names sink 'pagr', which is not defined");
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {delivery: {giveUpAfer: 1h}}", k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alerts.delivery.giveUpAfer");
        assertThatThrownBy(() -> AlertsConfig.fromYaml("alerts: {delivery: {giveUpAfter: 0s}}", k -> null))
                .hasMessageContaining("delivery.giveUpAfter must be a positive duration");
    }
}
