package io.kmswatch.broker;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run one KRaft node (combined broker and controller) of an {@link EmbeddedKafkaBroker},
 * a {@code ChildBroker} or a {@code KafkaCluster} (test support in this module's test-jar).
 *
 * <p>Everything but {@code host} is optional, and the defaults describe a single-node cluster in
 * a temporary directory on free loopback ports:
 * <ul>
 *   <li>{@code dataDir}: the broker's log directory, or {@code null} for a temporary directory
 *       that is deleted on close. A given directory is formatted only when it holds no
 *       {@code meta.properties}, so its topics and offsets survive a restart. Kafka treats every
 *       subdirectory as a topic partition, so the directory must belong to the broker alone.</li>
 *   <li>{@code port} / {@code controllerPort}: {@code 0} picks a free port before start.</li>
 *   <li>{@code nodeId}: the KRaft node id, 1 by default.</li>
 *   <li>{@code controllerQuorumVoters}: the static voter set
 *       ({@code id@host:port,...}), or {@code null} for a quorum of this node alone.</li>
 *   <li>{@code clusterId}: used only when the directory is formatted; {@code null} picks a random
 *       one. Every node of one cluster must be formatted with the same id.</li>
 *   <li>{@code brokerProperties}: extra broker settings, applied last so they override the
 *       defaults {@link EmbeddedKafkaBroker} sets (for example a topic's {@code log.retention.ms}
 *       default, or the replication settings of a multi-node cluster).</li>
 * </ul>
 *
 * @param dataDir                the log directory, or {@code null} for a temporary one
 * @param host                   the host name used in listeners, advertised listeners and voters
 * @param port                   the client (PLAINTEXT) port, {@code 0} to pick one
 * @param controllerPort         the CONTROLLER port, {@code 0} to pick one
 * @param nodeId                 the KRaft node id, at least 0
 * @param controllerQuorumVoters the static voter string, or {@code null} for this node alone
 * @param clusterId              the cluster id used at format time, or {@code null} for a random one
 * @param brokerProperties       extra broker properties, never {@code null}
 */
public record BrokerConfig(Path dataDir, String host, int port, int controllerPort, int nodeId,
                           String controllerQuorumVoters, String clusterId,
                           Map<String, String> brokerProperties) {

    /** The host every default listener uses; the recipe's pitfall 8 asks for one name everywhere. */
    public static final String DEFAULT_HOST = "localhost";

    /**
     * Validates and copies the arguments.
     *
     * @throws IllegalArgumentException if a port is out of range, the node id is negative or the
     *                                  host is blank
     */
    public BrokerConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        requirePort(port, "port");
        requirePort(controllerPort, "controllerPort");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ: " + port);
        }
        if (nodeId < 0) {
            throw new IllegalArgumentException("nodeId must be >= 0: " + nodeId);
        }
        if (controllerQuorumVoters != null && controllerQuorumVoters.isBlank()) {
            controllerQuorumVoters = null;
        }
        if (clusterId != null && clusterId.isBlank()) {
            clusterId = null;
        }
        // Map.copyOf would lose the caller's order, which matters only for readable logs.
        brokerProperties = brokerProperties == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(brokerProperties));
    }

    /**
     * Returns the configuration of a single node in a temporary directory on free loopback ports.
     *
     * @return the default configuration
     */
    public static BrokerConfig defaultConfig() {
        return builder().build();
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this configuration, to vary one field.
     *
     * @return a new builder initialised from this record
     */
    public Builder toBuilder() {
        return new Builder()
                .dataDir(dataDir)
                .host(host)
                .port(port)
                .controllerPort(controllerPort)
                .nodeId(nodeId)
                .controllerQuorumVoters(controllerQuorumVoters)
                .clusterId(clusterId)
                .brokerProperties(brokerProperties);
    }

    /**
     * Returns the data directory, if one was given.
     *
     * @return the data directory, empty when the broker should use a temporary one
     */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDir);
    }

    private static void requirePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 0..65535: " + port);
        }
    }

    /** Fluent builder for {@link BrokerConfig}; setters have no {@code set} prefix, as in SDK v2. */
    public static final class Builder {
        private Path dataDir;
        private String host = DEFAULT_HOST;
        private int port;
        private int controllerPort;
        private int nodeId = 1;
        private String controllerQuorumVoters;
        private String clusterId;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the data directory.
         *
         * @param dataDir the broker's log directory, or {@code null} for a temporary one
         * @return this builder
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Sets the host used in listeners, advertised listeners and the voter string.
         *
         * @param host a name or address that clients can reach
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the client port.
         *
         * @param port the PLAINTEXT port, or {@code 0} to pick a free one
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets the controller port.
         *
         * @param controllerPort the CONTROLLER port, or {@code 0} to pick a free one
         * @return this builder
         */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /**
         * Sets the KRaft node id.
         *
         * @param nodeId the node id, at least 0
         * @return this builder
         */
        public Builder nodeId(int nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /**
         * Sets the static voter set of a multi-node cluster.
         *
         * @param voters {@code id@host:port,...}, or {@code null} for a quorum of this node alone
         * @return this builder
         */
        public Builder controllerQuorumVoters(String voters) {
            this.controllerQuorumVoters = voters;
            return this;
        }

        /**
         * Sets the cluster id written when the data directory is formatted.
         *
         * @param clusterId a Kafka cluster id (base64 UUID), or {@code null} for a random one
         * @return this builder
         */
        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        /**
         * Adds one extra broker property, overriding the default of the same name.
         *
         * @param name  the broker property name
         * @param value its value
         * @return this builder
         */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds extra broker properties, overriding the defaults of the same names.
         *
         * @param properties the properties to add
         * @return this builder
         */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the validated configuration
         * @throws IllegalArgumentException if a value is out of range
         */
        public BrokerConfig build() {
            return new BrokerConfig(dataDir, host, port, controllerPort, nodeId,
                    controllerQuorumVoters, clusterId, brokerProperties);
        }
    }
}
