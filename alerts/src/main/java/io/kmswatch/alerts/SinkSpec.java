package io.kmswatch.alerts;

import io.kmswatch.alerts.sink.SinkConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@code --sink type=target} shortcut flag: {@code alertmanager=URL}, {@code webhook=URL},
 * {@code slack=URL}, {@code jsonl=FILE}, {@code kafka[=TOPIC]}, {@code cloudwatch[=NAMESPACE]},
 * {@code console}. Added to the configured routes as catch-all sinks by
 * {@link AlertsConfig#withShortcutSinks}.
 *
 * @param type   one of {@link #TYPES}
 * @param target the URL, file, topic or namespace; null where optional
 */
public record SinkSpec(String type, String target) {
    /** The accepted types. */
    public static final List<String> TYPES = List.of("console", "jsonl", "kafka", "webhook", "slack", "alertmanager",
            "cloudwatch");

    public SinkSpec {
        Objects.requireNonNull(type, "type");
        type = type.trim().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown sink type '" + type + "' (expected one of " + TYPES + ")");
        }
        target = target == null || target.isBlank() ? null : target.trim();
        if (target == null && List.of("jsonl", "webhook", "slack", "alertmanager").contains(type)) {
            throw new IllegalArgumentException("--sink " + type + " needs a target: " + type + "="
                    + (type.equals("jsonl") ? "FILE" : "URL"));
        }
        configFor(type, target);
    }

    /**
     * Parses {@code type=target} (or a bare {@code type} where the target is optional).
     *
     * @throws IllegalArgumentException for an unknown type, a missing or invalid target
     */
    public static SinkSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        int eq = text.indexOf('=');
        return eq < 0 ? new SinkSpec(text, null) : new SinkSpec(text.substring(0, eq), text.substring(eq + 1));
    }

    /** The sink configuration this shortcut stands for. */
    public SinkConfig toSinkConfig() {
        return configFor(type, target);
    }

    private static SinkConfig configFor(String type, String target) {
        return switch (type) {
            case "console" -> SinkConfig.Console.defaultConsole();
            case "jsonl" -> new SinkConfig.Jsonl(Path.of(target));
            case "kafka" -> new SinkConfig.Kafka(target);
            case "webhook" -> new SinkConfig.Webhook(uri(type, target), null);
            case "slack" -> new SinkConfig.Slack(uri(type, target));
            case "alertmanager" -> new SinkConfig.Alertmanager(uri(type, target), null, null, null);
            case "cloudwatch" -> new SinkConfig.CloudWatch(target, null, null);
            default -> throw new IllegalStateException(type);
        };
    }

    private static URI uri(String type, String s) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sink " + type + ": not a URL");
        }
    }

    /** Without the target, which may be a secret URL. */
    @Override
    public String toString() {
        return "SinkSpec[" + type + "]";
    }
}
