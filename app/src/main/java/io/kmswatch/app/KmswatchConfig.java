package io.kmswatch.app;

import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.ingest.inventory.InventoryConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.kmswatch.streams.DetectionsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration of {@code kmswatch run} (and of the single-stage commands): one YAML file,
 * bound into the modules' own config records. Every section is optional; defaults live in the
 * records. See {@code kmswatch.example.yaml} at the repository root for a commented example.
 *
 * @param workDir     where state lives: the embedded broker's data, Streams state, checkpoints of
 *                    files; default {@code .kmswatch}
 * @param kafka       the Kafka connection; without {@code bootstrapServers} an embedded broker runs
 * @param sources     what to ingest (LookupEvents, log files, S3)
 * @param detections  trusted sets and per-detection settings
 * @param alerts      suppression, routes, silences, sinks, delivery
 * @param streams     Kafka Streams settings shared by {@code detect} and {@code alerts}
 * @param metrics     the {@code /metrics} endpoint
 * @param inventory   the KMS API inventory that seeds the detections' key inventory (off by default);
 *                    it reads the accounts and Regions of {@code sources.lookup}
 */
public record KmswatchConfig(Path workDir, Kafka kafka, SourcesConfig sources, DetectionsConfig detections,
                             AlertsConfig alerts, Streams streams, Metrics metrics, InventoryConfig inventory) {
    public KmswatchConfig {
        workDir = workDir == null ? Path.of(".kmswatch") : workDir;
        kafka = Objects.requireNonNullElseGet(kafka, () -> new Kafka(null, null, null, null, null, null));
        sources = Objects.requireNonNullElseGet(sources, () -> new SourcesConfig(null, null, null));
        detections = Objects.requireNonNullElseGet(detections, DetectionsConfig::defaultConfig);
        alerts = Objects.requireNonNullElseGet(alerts, () -> ConfigFiles.parse("{}", "defaults", AlertsConfig.class));
        streams = Objects.requireNonNullElseGet(streams, () -> new Streams(null, null, null));
        metrics = Objects.requireNonNullElseGet(metrics, () -> new Metrics(null, null));
        inventory = Objects.requireNonNullElseGet(inventory, InventoryConfig::defaults);
    }

    /** Without an inventory section (off). */
    public KmswatchConfig(Path workDir, Kafka kafka, SourcesConfig sources, DetectionsConfig detections,
                          AlertsConfig alerts, Streams streams, Metrics metrics) {
        this(workDir, kafka, sources, detections, alerts, streams, metrics, null);
    }

    /** Everything at its default. */
    public static KmswatchConfig defaults() {
        return new KmswatchConfig(null, null, null, null, null, null, null, null);
    }

    /** The LookupEvents settings, whose accounts, Regions and credentials the inventory reads too. */
    public LookupConfig inventoryTargets() {
        return sources.lookup() != null ? sources.lookup() : LookupConfig.defaults();
    }

    /** The inventory settings with the detections' trusted accounts. */
    public InventoryConfig inventorySettings() {
        return inventory.withTrustedAccounts(detections.trustedAccounts());
    }

    /**
     * The Kafka connection.
     *
     * @param bootstrapServers  an existing cluster; absent = an embedded single-node broker
     * @param dataDir           the embedded broker's data (default {@code <workDir>/broker}); kept across runs
     * @param topicPrefix       prefix of every topic name (default none)
     * @param partitions        partitions of the topics kmswatch creates (default 4)
     * @param replicationFactor replication of created topics (default: 1 embedded, else the broker default)
     * @param properties        Kafka client settings passed through unchanged (security, timeouts, …)
     */
    public record Kafka(String bootstrapServers, Path dataDir, String topicPrefix, Integer partitions,
                        Short replicationFactor, Map<String, String> properties) {
        public Kafka {
            topicPrefix = topicPrefix == null ? "" : topicPrefix;
            io.kmswatch.events.Topics.withPrefix(topicPrefix);
            partitions = partitions == null ? 4 : partitions;
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        public boolean embedded() {
            return bootstrapServers == null || bootstrapServers.isBlank();
        }
    }

    /**
     * Kafka Streams settings for the detection and alert topologies.
     *
     * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
     * @param commitInterval      default 100 ms
     * @param threads             stream threads per process (default: one per processor core, at most one per
     *                            partition of {@code kms-events})
     */
    public record Streams(String processingGuarantee, Duration commitInterval, Integer threads) {
        public Streams {
            processingGuarantee = processingGuarantee == null ? "exactly_once_v2" : processingGuarantee;
            if (!processingGuarantee.equals("exactly_once_v2") && !processingGuarantee.equals("at_least_once")) {
                throw new IllegalArgumentException("processingGuarantee must be exactly_once_v2 or at_least_once, got '"
                        + processingGuarantee + "'");
            }
            commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
            if (threads != null && threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }
    }

    /**
     * The Prometheus endpoint.
     *
     * @param port default 9464; -1 turns it off
     * @param bind default 127.0.0.1
     */
    public record Metrics(Integer port, String bind) {
        public Metrics {
            port = port == null ? 9464 : port;
            bind = bind == null ? "127.0.0.1" : bind;
        }
    }
}
