package io.kmswatch.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every configured command shares: the config file and the overrides people reach for. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (see kmswatch.example.yaml).")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,…",
            description = "Kafka to use (overrides kafka.bootstrapServers). Absent everywhere: an embedded broker.")
    String bootstrapServers;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Port of /metrics (overrides metrics.port; -1 turns it off).")
    Integer metricsPort;

    /**
     * The configuration with the overrides applied.
     *
     * @throws ConfigException when the file cannot be used
     */
    KmswatchConfig load() {
        KmswatchConfig c = config == null ? KmswatchConfig.defaults() : ConfigFiles.load(config, KmswatchConfig.class);
        KmswatchConfig.Kafka k = c.kafka();
        if (bootstrapServers != null) {
            k = new KmswatchConfig.Kafka(bootstrapServers, k.dataDir(), k.topicPrefix(), k.partitions(),
                    k.replicationFactor(), k.properties());
        }
        KmswatchConfig.Metrics m = metricsPort == null ? c.metrics() : new KmswatchConfig.Metrics(metricsPort, c.metrics().bind());
        return new KmswatchConfig(c.workDir(), k, c.sources(), c.detections(), c.alerts(), c.streams(), m, c.inventory());
    }
}
