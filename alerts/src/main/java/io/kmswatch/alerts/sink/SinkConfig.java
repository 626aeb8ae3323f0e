package io.kmswatch.alerts.sink;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One configured alert destination, bound from {@code alerts.sinks.<name>} by its {@code type}:
 *
 * <pre>
 * sinks:
 *   console:   {type: console}                       # one line per alert on stdout
 *   file:      {type: jsonl, path: alerts.jsonl}      # one Alert JSON per line
 *   audit:     {type: kafka, topic: audit-alerts}     # no topic: kms-alerts itself (a no-op)
 *   hook:      {type: webhook, url: "${HOOK_URL}", headers: {Authorization: "Bearer ${TOKEN}"}}
 *   slack:     {type: slack, url: "${SLACK_WEBHOOK_URL}"}
 *   am:        {type: alertmanager, url: http://127.0.0.1:9093, generatorUrl: http://kmswatch/alerts/}
 *   cw:        {type: cloudwatch, namespace: KmsWatch, region: us-east-1}
 * </pre>
 *
 * URLs and headers are secrets as far as logs go: sinks name themselves by config name only.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SinkConfig.Console.class, name = "console"),
        @JsonSubTypes.Type(value = SinkConfig.Jsonl.class, name = "jsonl"),
        @JsonSubTypes.Type(value = SinkConfig.Kafka.class, name = "kafka"),
        @JsonSubTypes.Type(value = SinkConfig.Webhook.class, name = "webhook"),
        @JsonSubTypes.Type(value = SinkConfig.Slack.class, name = "slack"),
        @JsonSubTypes.Type(value = SinkConfig.Alertmanager.class, name = "alertmanager"),
        @JsonSubTypes.Type(value = SinkConfig.CloudWatch.class, name = "cloudwatch"),
})
public sealed interface SinkConfig {
    /** The type name used in YAML and in {@code --sink type=target}. */
    String type();

    /**
     * Console: one readable line per alert. {@code color} is {@code auto} (ANSI colour only when
     * stdout is a terminal), {@code always} or {@code never}.
     */
    record Console(String color) implements SinkConfig {
        public Console {
            color = color == null ? "auto" : color.toLowerCase(Locale.ROOT);
            if (!color.equals("auto") && !color.equals("always") && !color.equals("never")) {
                throw new IllegalArgumentException("console color must be auto, always or never, not '" + color + "'");
            }
        }

        public static Console defaultConsole() {
            return new Console(null);
        }

        @Override
        public String type() {
            return "console";
        }
    }

    /** A file of one {@code Alert} JSON per line, appended to and flushed to disk per alert. */
    record Jsonl(Path path) implements SinkConfig {
        public Jsonl {
            Objects.requireNonNull(path, "jsonl sink needs a path");
        }

        @Override
        public String type() {
            return "jsonl";
        }
    }

    /**
     * Kafka: with no {@code topic} the alert is already where it belongs ({@code kms-alerts}) and
     * the sink accepts without doing anything; with a topic, the alert JSON is produced there keyed
     * by alert id.
     */
    record Kafka(String topic) implements SinkConfig {
        public Kafka {
            if (topic != null && !topic.matches("[a-zA-Z0-9._-]+")) {
                throw new IllegalArgumentException("kafka sink topic '" + topic + "' is not a valid topic name");
            }
        }

        @Override
        public String type() {
            return "kafka";
        }
    }

    /** Generic webhook: POST of the {@code Alert} JSON, with extra headers and {@code Idempotency-Key}. */
    record Webhook(URI url, Map<String, String> headers) implements SinkConfig {
        public Webhook {
            requireHttp(url, "webhook");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        @Override
        public String type() {
            return "webhook";
        }

        /** Without URL or header values: either may hold a secret. */
        @Override
        public String toString() {
            return "Webhook[headers=" + headers.keySet() + "]";
        }
    }

    /** Slack incoming webhook: {@code text} plus blocks. */
    record Slack(URI url) implements SinkConfig {
        public Slack {
            requireHttp(url, "slack");
        }

        @Override
        public String type() {
            return "slack";
        }

        /** Without the URL: its path is the webhook's secret. */
        @Override
        public String toString() {
            return "Slack[]";
        }
    }

    /**
     * Prometheus Alertmanager API v2 at {@code url} (the base, e.g. {@code http://127.0.0.1:9093}).
     *
     * @param generatorUrl   base of the back-link; the alert id is appended; null = none
     * @param repostInterval how often firing alerts are posted again (Alertmanager expects 30 s–3 min)
     * @param resolveTimeout the {@code endsAt} horizon given to a firing alert on each post, so an
     *                       alert nobody re-posts (this process stopped) lapses by itself
     */
    record Alertmanager(URI url, URI generatorUrl, Duration repostInterval,
                        Duration resolveTimeout) implements SinkConfig {
        public Alertmanager {
            requireHttp(url, "alertmanager");
            repostInterval = repostInterval == null ? Duration.ofMinutes(1) : repostInterval;
            resolveTimeout = resolveTimeout == null ? Duration.ofMinutes(5) : resolveTimeout;
            if (repostInterval.isNegative() || repostInterval.isZero()) {
                throw new IllegalArgumentException("alertmanager repostInterval must be positive");
            }
            if (resolveTimeout.compareTo(repostInterval) <= 0) {
                throw new IllegalArgumentException("alertmanager resolveTimeout (" + resolveTimeout
                        + ") must exceed repostInterval (" + repostInterval + "), or firing alerts flap");
            }
        }

        @Override
        public String type() {
            return "alertmanager";
        }
    }

    /**
     * AWS CloudWatch {@code PutMetricData}: alert counts by detection and severity.
     *
     * @param namespace metric namespace, default {@code KmsWatch}
     * @param region    AWS region; null = the SDK's default provider chain
     * @param endpoint  endpoint override (a local stub, a VPC endpoint); null = AWS
     */
    record CloudWatch(String namespace, String region, URI endpoint) implements SinkConfig {
        public CloudWatch {
            namespace = namespace == null || namespace.isBlank() ? "KmsWatch" : namespace;
            if (namespace.startsWith("AWS/")) {
                throw new IllegalArgumentException("cloudwatch namespace may not start with 'AWS/' (reserved by AWS)");
            }
        }

        @Override
        public String type() {
            return "cloudwatch";
        }
    }

    private static void requireHttp(URI url, String type) {
        Objects.requireNonNull(url, type + " sink needs a url");
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || url.getHost() == null) {
            // The URL itself may carry a secret (Slack's token is in the path): name the scheme only.
            throw new IllegalArgumentException(type + " sink url must be an absolute http(s) URL (scheme was "
                    + scheme + ")");
        }
    }
}
