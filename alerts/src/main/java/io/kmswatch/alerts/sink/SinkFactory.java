package io.kmswatch.alerts.sink;

import io.kmswatch.events.Alert;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds {@link AlertSink}s from {@link SinkConfig}s with what they need from the process: the
 * attempt timeout, Kafka producer settings (for a kafka sink with its own topic), the console
 * stream, the suppression window per detection (for Alertmanager re-posts) and a clock.
 *
 * @param attemptTimeout  one attempt's bound
 * @param producerConfig  Kafka producer settings (bootstrap servers and pass-through client settings)
 * @param console         where console sinks print
 * @param consoleTerminal whether {@code console} is a terminal (colour for {@code color: auto})
 * @param windowFor       suppression window of a detection
 * @param clock           wall clock for delivery timestamps
 */
public record SinkFactory(Duration attemptTimeout, Map<String, Object> producerConfig, PrintStream console,
                          boolean consoleTerminal, Function<String, Duration> windowFor, Clock clock) {
    public SinkFactory {
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        producerConfig = producerConfig == null ? Map.of() : Map.copyOf(producerConfig);
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(windowFor, "windowFor");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * One sink.
     *
     * @throws IllegalArgumentException when the sink cannot be built (e.g. CloudWatch without region)
     */
    public AlertSink create(String name, SinkConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("sink " + name + " has no configuration");
        }
        return build(name, config);
    }

    private AlertSink build(String name, SinkConfig config) {
        if (config instanceof SinkConfig.Console c) {
            boolean color = c.color().equals("always") || c.color().equals("auto") && consoleTerminal;
            return new ConsoleSink(name, console, color);
        } else if (config instanceof SinkConfig.Jsonl j) {
            return new JsonlSink(name, j.path());
        } else if (config instanceof SinkConfig.Kafka k) {
            return new KafkaSink(name, k.topic(), k.topic() == null ? null : producer(name), attemptTimeout);
        } else if (config instanceof SinkConfig.Webhook w) {
            return new WebhookSink(name, w.url(), w.headers(), attemptTimeout);
        } else if (config instanceof SinkConfig.Slack s) {
            return new SlackSink(name, s.url(), attemptTimeout);
        } else if (config instanceof SinkConfig.Alertmanager am) {
            return new AlertmanagerSink(name, am, attemptTimeout, windowFor, clock);
        } else if (config instanceof SinkConfig.CloudWatch cw) {
            return new CloudWatchSink(name, CloudWatchSink.client(cw, attemptTimeout), cw.namespace(), clock);
        }
        throw new IllegalArgumentException("sink " + name + ": unsupported type " + config.type());
    }

    /**
     * Every sink of a configuration, by name. On failure the sinks built so far are closed.
     *
     * @throws IllegalArgumentException when a sink cannot be built
     */
    public Map<String, AlertSink> createAll(Map<String, SinkConfig> configs) {
        Map<String, AlertSink> sinks = new LinkedHashMap<>();
        try {
            configs.forEach((name, cfg) -> sinks.put(name, create(name, cfg)));
        } catch (RuntimeException e) {
            sinks.values().forEach(AlertSink::close);
            throw e;
        }
        return sinks;
    }

    private KafkaProducer<String, Alert> producer(String name) {
        Map<String, Object> props = new LinkedHashMap<>(producerConfig);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "kmswatch-alerts-sink-" + name);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), KafkaSink.serde().serializer());
    }
}
