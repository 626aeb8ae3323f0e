package io.kmswatch.alerts;

import io.kmswatch.alerts.sink.AlertSink;
import io.kmswatch.alerts.sink.SinkFactory;
import io.kmswatch.events.TopicSetup;
import io.kmswatch.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One alerts process: the alert manager topology ({@link AlertTopology}, {@code kms-detections} →
 * {@code kms-alerts}) on Kafka Streams, and the delivery loop ({@link AlertDelivery},
 * {@code kms-alerts} → sinks), either or both per {@link AlertsAppSettings}. What the app calls:
 * <pre>
 *   AlertsConfig cfg = AlertsConfig.load(file).withShortcutSinks(sinkFlags);
 *   try (AlertsApp app = AlertsApp.start(settings, cfg, registry)) { … }
 * </pre>
 * Unreadable detections are logged and skipped by Streams (the record stays on its topic); an
 * exception while processing one record is logged and that record skipped; a dead stream thread is
 * replaced.
 */
public final class AlertsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsApp.class);

    private final KafkaStreams streams;
    private final AlertDelivery delivery;
    private final AlertsMetrics metrics;

    private AlertsApp(KafkaStreams streams, AlertDelivery delivery, AlertsMetrics metrics) {
        this.streams = streams;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    /**
     * Starts with console sinks on {@code System.out} (coloured when it is a terminal).
     *
     * @param registry where {@link AlertsMetrics} are bound; null = none
     * @throws IllegalArgumentException when a sink cannot be built from the configuration
     */
    public static AlertsApp start(AlertsAppSettings settings, AlertsConfig config, MeterRegistry registry) {
        SinkFactory factory = new SinkFactory(config.delivery().attemptTimeout(),
                AlertDelivery.producerConfig(settings), System.out, System.console() != null,
                config::suppressionWindowFor, Clock.systemUTC());
        return start(settings, config, registry, factory);
    }

    /**
     * Starts with the given sink factory (tests: a console stream, a clock).
     *
     * @throws IllegalArgumentException when a sink cannot be built from the configuration
     */
    public static AlertsApp start(AlertsAppSettings settings, AlertsConfig config, MeterRegistry registry,
                                  SinkFactory factory) {
        AlertsMetrics metrics = new AlertsMetrics();
        if (registry != null) {
            metrics.bindTo(registry);
        }
        AlertDelivery delivery = null;
        KafkaStreams streams = null;
        try {
            if (settings.runDelivery()) {
                metrics.registerSinks(config.sinks().keySet());
                Map<String, AlertSink> sinks = factory.createAll(config.sinks());
                delivery = new AlertDelivery(settings, config, sinks, metrics);
                delivery.start();
            }
            if (settings.runManager()) {
                streams = new KafkaStreams(AlertTopology.build(config, settings.topics(), metrics),
                        streamsProperties(settings));
                streams.setUncaughtExceptionHandler(e -> {
                    LOG.error("Alert manager stream thread died; replacing it: {}", e.toString(), e);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                });
                streams.start();
            }
        } catch (RuntimeException e) {
            if (streams != null) {
                streams.close(Duration.ofSeconds(10));
            }
            if (delivery != null) {
                delivery.close(Duration.ZERO);
            }
            throw e;
        }
        LOG.info("Alerts started (manager: {}, delivery: {}, sinks: {})", settings.runManager(),
                settings.runDelivery(), config.sinks().keySet());
        return new AlertsApp(streams, delivery, metrics);
    }

    /** Kafka Streams properties for the alert manager. */
    static Properties streamsProperties(AlertsAppSettings s) {
        Properties p = new Properties();
        p.putAll(s.kafka());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.processingGuarantee());
        if (s.stateDir() != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toAbsolutePath().toString());
        }
        p.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        // No global stores here; enabling it now keeps behaviour the same when Kafka 5 makes it the default
        // (and Kafka 4.4 warns on every StreamsConfig without it). The partition assignor builds its own
        // StreamsConfig from the main consumer's settings, so it is passed there too.
        p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        p.putIfAbsent(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
        // Alerts are few and people wait for them: flush per record rather than per 100 ms batch.
        p.putIfAbsent(StreamsConfig.producerPrefix("linger.ms"), "5");
        if ("at_least_once".equals(s.processingGuarantee())) {
            p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        }
        return p;
    }

    /**
     * Creates the topics this module reads and writes ({@code kms-detections}, {@code kms-alerts},
     * {@code kms-alerts-undeliverable}) when missing, with time-based retention off: record
     * timestamps are event times, years old on a replay, and would be deleted at once otherwise.
     *
     * @throws AlertDeliveryException when the broker refuses or does not answer in time
     */
    public static void createTopics(Admin admin, Topics topics, int partitions) {
        List<NewTopic> create = new ArrayList<>();
        for (String n : List.of(topics.kmsDetections().name(), topics.kmsAlerts().name(),
                topics.kmsAlertsUndeliverable().name())) {
            create.add(new NewTopic(n, Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
        try {
            TopicSetup.ensure(admin, create, Duration.ofSeconds(60));
        } catch (TopicSetup.TopicSetupException e) {
            throw new AlertDeliveryException("cannot create topics: " + e.getMessage(), false, e);
        }
    }

    /** The metrics this process records (already bound to the registry given at start). */
    public AlertsMetrics metrics() {
        return metrics;
    }

    /** The topology's state, or null when this process runs only the delivery. */
    public KafkaStreams.State managerState() {
        return streams == null ? null : streams.state();
    }

    /** True while every half this process runs is alive. */
    public boolean isRunning() {
        boolean managerOk = streams == null || streams.state().isRunningOrRebalancing()
                || streams.state() == KafkaStreams.State.CREATED;
        boolean deliveryOk = delivery == null || delivery.isRunning();
        return managerOk && deliveryOk;
    }

    /**
     * Stops the topology (leaving its group, so a successor gets the partitions at once instead of
     * after the session timeout), then the delivery (which waits up to its close timeout for sinks).
     */
    @Override
    public void close() {
        if (streams != null) {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        if (delivery != null) {
            delivery.close();
        }
    }
}
