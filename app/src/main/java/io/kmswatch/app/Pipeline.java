package io.kmswatch.app;

import io.kmswatch.alerts.AlertsApp;
import io.kmswatch.alerts.AlertsAppSettings;
import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.broker.BrokerConfig;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.events.TopicSetup;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.ingest.feed.EmulatorFeed;
import io.kmswatch.ingest.inventory.InventoryService;
import io.kmswatch.streams.DetectApp;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of kmswatch wired to one Kafka: an embedded broker when no bootstrap servers are
 * configured, then ingest → detect → alerts, each started only when asked for. {@code run}, {@code demo},
 * {@code replay}, {@code evaluate} and the single-stage commands all build on it. Closing stops the
 * stages in reverse order, then the broker.
 */
final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final KmswatchConfig config;
    private final MetricsEndpoint metrics;
    private final EmbeddedKafkaBroker broker;
    private final String bootstrapServers;
    private final Topics topics;
    private final List<AutoCloseable> stages = new ArrayList<>();
    private IngestService ingest;
    private DetectApp detect;
    private AlertsApp alerts;

    private Pipeline(KmswatchConfig config, MetricsEndpoint metrics, EmbeddedKafkaBroker broker, String bootstrap) {
        this.config = config;
        this.metrics = metrics;
        this.broker = broker;
        this.bootstrapServers = bootstrap;
        this.topics = Topics.withPrefix(config.kafka().topicPrefix());
    }

    /** Connects to the configured Kafka, starting an embedded broker (data kept under the work dir) when none is. */
    static Pipeline connect(KmswatchConfig config, MetricsEndpoint metrics) {
        if (!config.kafka().embedded()) {
            return new Pipeline(config, metrics, null, config.kafka().bootstrapServers());
        }
        Path dataDir = config.kafka().dataDir() != null ? config.kafka().dataDir() : config.workDir().resolve("broker");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder().dataDir(dataDir).build());
        return new Pipeline(config, metrics, broker, broker.bootstrapServers());
    }

    /** Uses an already running broker (the pipeline does not close it). */
    static Pipeline on(KmswatchConfig config, MetricsEndpoint metrics, String bootstrapServers) {
        return new Pipeline(config, metrics, null, bootstrapServers);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    boolean embeddedBroker() {
        return broker != null;
    }

    Topics topics() {
        return topics;
    }

    KmswatchConfig config() {
        return config;
    }

    MetricsEndpoint metrics() {
        return metrics;
    }

    /** Kafka client settings: the configured pass-through properties plus the bootstrap servers. */
    Map<String, Object> kafkaClientProperties() {
        Map<String, Object> props = new HashMap<>(config.kafka().properties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    private Map<String, String> kafkaStringProperties() {
        Map<String, String> props = new HashMap<>(config.kafka().properties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    IngestConfig ingestConfig(SourcesConfig sources) {
        // users' Sigma rules may be about any service: with rules loaded, every CloudTrail record goes to kms-events
        boolean all = sources.allEvents() || !config.detections().sigma().paths().isEmpty();
        return new IngestConfig(config.kafka().topicPrefix(), null, true, config.kafka().partitions(),
                config.kafka().replicationFactor(), kafkaStringProperties(), sources.withAllEvents(all));
    }

    /**
     * Replication of the topics and internal topics detect creates: the configured factor; else 1 on
     * the embedded single-node broker and the broker's default ({@code -1}) on a cluster, as ingest and
     * alerts do. A fixed 1 on a cluster would leave kms-events and the detections' state on one broker,
     * and the loss of that broker would stop the pipeline.
     */
    Integer replicationFactor() {
        Short rf = config.kafka().replicationFactor();
        if (rf != null) {
            return (int) rf;
        }
        return config.kafka().embedded() ? 1 : StreamsSettings.BROKER_DEFAULT_REPLICATION;
    }

    /** Starts the configured sources (LookupEvents, files, S3). */
    IngestService startIngest(SourcesConfig sources) {
        ingest = IngestService.start(ingestConfig(sources), kafkaClientProperties(), metrics.registry());
        stages.add(ingest);
        return ingest;
    }

    /** A listener for the emulator that produces its records to kms-events. */
    EmulatorFeed emulatorFeed() {
        EmulatorFeed feed = IngestService.emulatorFeed(ingestConfig(new SourcesConfig(null, null, null)),
                kafkaClientProperties(), metrics.registry());
        stages.add(feed);
        return feed;
    }

    StreamsSettings detectSettings(String applicationId) {
        KmswatchConfig.Streams s = config.streams();
        return new StreamsSettings(bootstrapServers, applicationId, s.processingGuarantee(), s.commitInterval(),
                s.threads(), config.workDir().resolve("state").resolve(applicationId), config.kafka().properties(),
                config.kafka().topicPrefix(), config.kafka().partitions(), replicationFactor());
    }

    /** Starts the detections and waits until they run. */
    DetectApp startDetect(String applicationId) {
        StreamsMetrics streamsMetrics = new StreamsMetrics();
        streamsMetrics.bindTo(metrics.registry());
        detect = new DetectApp(detectSettings(applicationId), config.detections(), streamsMetrics)
                .seedFromInventory(config.inventory().enabled());
        stages.add(detect);
        detect.start();
        if (!detect.awaitRunning(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the detections did not reach RUNNING within 60 s (state " + detect.state() + ")");
        }
        return detect;
    }

    /**
     * Reads the KMS API inventory now and every {@code inventory.refresh} into kms-key-inventory
     * (the accounts, Regions and credentials of {@code sources.lookup}).
     */
    InventoryService startInventory() {
        InventoryService s = InventoryService.start(config.inventoryTargets(), config.inventorySettings(), Clock.systemUTC(),
                topics, kafkaClientProperties(), config.kafka().partitions(), config.kafka().replicationFactor());
        stages.add(s);
        return s;
    }

    AlertsAppSettings alertsSettings(String applicationId) {
        return AlertsAppSettings.of(bootstrapServers)
                .withApplicationId(applicationId)
                .withStateDir(config.workDir().resolve("state").resolve(applicationId))
                .withTopicPrefix(config.kafka().topicPrefix())
                .withKafka(config.kafka().properties());
    }

    /** Starts the alert manager and delivery with the given alert configuration. */
    AlertsApp startAlerts(String applicationId, AlertsConfig alertsConfig) {
        AlertsAppSettings settings = alertsSettings(applicationId);
        try (Admin admin = Admin.create(kafkaClientProperties())) {
            AlertsApp.createTopics(admin, settings.topics(), config.kafka().partitions());
        }
        alerts = AlertsApp.start(settings, alertsConfig, metrics.registry());
        stages.add(alerts);
        return alerts;
    }

    /** Creates topics that no stage creates (the scenario labels), with the configured partitions. */
    void createTopics(String... names) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : names) {
            wanted.add(new NewTopic(name, Optional.of(config.kafka().partitions()),
                    Optional.ofNullable(config.kafka().replicationFactor()))
                    .configs(Map.of("retention.ms", "-1")));
        }
        try (Admin admin = Admin.create(kafkaClientProperties())) {
            TopicSetup.ensure(admin, wanted, Duration.ofSeconds(60));
        } catch (TopicSetup.TopicSetupException e) {
            throw new IllegalStateException("cannot create topics " + String.join(", ", names) + ": " + e.getMessage(), e);
        }
    }

    DetectApp detect() {
        return detect;
    }

    AlertsApp alerts() {
        return alerts;
    }

    IngestService ingest() {
        return ingest;
    }

    /** Stops every stage (last started first), then the embedded broker. Never throws. */
    @Override
    public void close() {
        for (int i = stages.size() - 1; i >= 0; i--) {
            try {
                stages.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", stages.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        stages.clear();
        if (broker != null) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the embedded broker failed: {}", e.toString());
            }
        }
    }
}
