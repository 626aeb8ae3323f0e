package io.kmswatch.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft Kafka node (combined broker and controller) running inside this JVM.
 *
 * <p>{@link #start(BrokerConfig)} formats the data directory if it holds no {@code meta.properties},
 * starts {@code kafka.server.KafkaRaftServer}, and returns once the broker answers
 * {@code describeCluster} with at least one node, so {@link #bootstrapServers()} is usable at once.
 * The defaults are those of a single-node cluster (replication factor 1, small internal topics,
 * no initial rebalance delay, no topic auto-creation) plus two settings the pipeline needs because
 * record timestamps are CloudTrail event times, possibly years old on a replay:
 * <ul>
 *   <li>{@code log.message.timestamp.before.max.ms} and {@code ...after.max.ms} are
 *       {@link Long#MAX_VALUE}, so the broker accepts any timestamp;</li>
 *   <li>{@code log.retention.ms=-1}, so old timestamps do not make segments eligible for deletion
 *       the moment they are written. Topics that want retention set it per topic.</li>
 * </ul>
 *
 * <p>While it runs, Kafka's JVM halt and exit procedures throw instead of terminating the process
 * (see {@code ExitGuard}). Instances are thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** Attempts to start when a picked port was taken by someone else before the broker bound it. */
    static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String META_PROPERTIES = "meta.properties";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final BrokerConfig config;
    private final boolean ownsDataDir;
    private final boolean exitGuarded;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String clusterId;
    private Admin admin;
    private boolean closed;

    private EmbeddedKafkaBroker(BrokerConfig config, boolean ownsDataDir, boolean exitGuarded,
                                KafkaRaftServer server, String clusterId) {
        this.config = config;
        this.ownsDataDir = ownsDataDir;
        this.exitGuarded = exitGuarded;
        this.server = server;
        this.bootstrapServers = config.host() + ":" + config.port();
        this.clusterId = clusterId;
    }

    /**
     * Starts a single-node broker in a temporary directory on free loopback ports.
     *
     * @return the running broker
     * @throws BrokerException if the broker cannot be started or does not become ready in time
     */
    public static EmbeddedKafkaBroker start() {
        return start(BrokerConfig.defaultConfig());
    }

    /**
     * Starts a broker with the given configuration, retrying up to three times (in a fresh
     * temporary directory, on fresh ports) when a picked port was taken before the broker bound it.
     *
     * @param config how to run the broker
     * @return the running broker
     * @throws BrokerException if the broker cannot be started or does not become ready in time
     */
    public static EmbeddedKafkaBroker start(BrokerConfig config) {
        return start(config, true);
    }

    /**
     * Starts a broker; {@code guardExit} is false only in {@code BrokerMain} (test support), the child JVM, where a
     * fatal fault should terminate the process.
     */
    static EmbeddedKafkaBroker start(BrokerConfig config, boolean guardExit) {
        boolean portsPicked = config.port() == 0 || config.controllerPort() == 0;
        BrokerException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            boolean ownsDataDir = config.dataDir() == null;
            Path dataDir = ownsDataDir ? Directories.createTemp("kmswatch-broker-") : config.dataDir();
            int[] picked = portsPicked ? Ports.pickFree(config.host(), 2) : new int[2];
            BrokerConfig resolved = config.toBuilder()
                    .dataDir(dataDir)
                    .port(config.port() != 0 ? config.port() : picked[0])
                    .controllerPort(config.controllerPort() != 0 ? config.controllerPort() : picked[1])
                    .build();
            try {
                return startOnce(resolved, ownsDataDir, guardExit);
            } catch (BrokerException e) {
                if (ownsDataDir) {
                    Directories.deleteQuietly(dataDir);
                }
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                if (!portsPicked || !Ports.isBindFailure(e)) {
                    throw e;
                }
                LOG.warn("Kafka broker start attempt {}/{} lost a port race, retrying: {}",
                        attempt, START_ATTEMPTS, e.getMessage());
            }
        }
        throw failure;
    }

    private static EmbeddedKafkaBroker startOnce(BrokerConfig config, boolean ownsDataDir, boolean guardExit) {
        long startNanos = System.nanoTime();
        Path dataDir = config.dataDir();
        KafkaConfig kafkaConfig;
        try {
            Files.createDirectories(dataDir);
            kafkaConfig = KafkaConfig.fromProps(toProperties(brokerProperties(config)), false);
            if (!Files.exists(dataDir.resolve(META_PROPERTIES))) {
                format(config);
            }
        } catch (IOException e) {
            throw new BrokerException("cannot prepare Kafka data directory " + dataDir, e);
        } catch (RuntimeException e) {
            throw new BrokerException("invalid Kafka broker configuration for " + dataDir + ": " + e.getMessage(), e);
        }

        if (guardExit) {
            ExitGuard.acquire();
        }
        KafkaRaftServer server = null;
        String bootstrap = config.host() + ":" + config.port();
        try {
            server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            String clusterId = awaitReady(bootstrap, READY_TIMEOUT);
            LOG.info("Kafka broker {} (node {}, cluster {}) ready in {} ms, data in {}", bootstrap,
                    config.nodeId(), clusterId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    dataDir);
            return new EmbeddedKafkaBroker(config, ownsDataDir, guardExit, server, clusterId);
        } catch (Exception e) {
            // KafkaRaftServer.startup() shuts its broker down when the broker fails, but leaves the
            // controller running; stopping the whole server releases the controller port too.
            if (server != null) {
                stopQuietly(server, bootstrap);
            }
            if (guardExit) {
                ExitGuard.release();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof BrokerException be ? be
                    : new BrokerException("Kafka broker " + bootstrap + " failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code meta.properties} and the bootstrap metadata snapshot. Without it
     * {@code KafkaRaftServer} refuses to start. {@code Formatter} is the library behind
     * {@code kafka-storage format}, minus the CLI's {@code Exit} calls.
     */
    private static void format(BrokerConfig config) {
        String dir = config.dataDir().toAbsolutePath().toString();
        String clusterId = config.clusterId() != null ? config.clusterId() : Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    // The formatter narrates to a PrintStream; that narration is not worth a log line.
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                    .run();
        } catch (Exception e) {
            throw new BrokerException("cannot format Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
        LOG.debug("Formatted {} for node {} of cluster {}", dir, config.nodeId(), clusterId);
    }

    /**
     * Returns the broker properties for a resolved configuration (data directory and both ports
     * set): the single-node defaults, then {@link BrokerConfig#brokerProperties()} on top.
     */
    static Map<String, String> brokerProperties(BrokerConfig config) {
        String host = config.host();
        String voters = config.controllerQuorumVoters() != null
                ? config.controllerQuorumVoters()
                : config.nodeId() + "@" + host + ":" + config.controllerPort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(config.nodeId()));
        // A static voter set (kraft.version 0): the formatter needs no initial-controller list, and
        // every node of a cluster is formatted the same way.
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://" + host + ":" + config.port()
                + "," + CONTROLLER_LISTENER + "://" + host + ":" + config.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + config.port());
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        // metadata.log.dir defaults to the first log dir, which is what the formatter wrote into.
        props.put("log.dirs", config.dataDir().toAbsolutePath().toString());

        // One node cannot hold more than one replica; the internal topics default to RF 3.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // 50 partitions each by default: creating them on the first group or transaction is slow.
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.num.partitions", "4");
        // The default 3 s delay would be added to the first rebalance of every consumer group.
        props.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's dedupe buffer is 128 MiB of heap by default; compacted topics here are tiny.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        // Topics are created on purpose (and Streams creates its internal topics itself), so a
        // typo in a topic name fails loudly instead of creating a stray topic.
        props.put("auto.create.topics.enable", "false");

        // Record timestamps are CloudTrail event times: on a replay they are days or years old, and
        // clocks of delivering systems run ahead. Accept any timestamp (pitfall 11)...
        props.put("log.message.timestamp.before.max.ms", Long.toString(Long.MAX_VALUE));
        props.put("log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE));
        // ...and do not let time-based retention delete a replay's records as soon as they land,
        // which is what the 7-day default does to a segment whose newest record is from 2014.
        props.put("log.retention.ms", "-1");

        props.putAll(config.brokerProperties());
        return props;
    }

    private static Properties toProperties(Map<String, String> map) {
        Properties properties = new Properties();
        properties.putAll(map);
        return properties;
    }

    /**
     * Polls {@code describeCluster} until the broker lists at least one node; {@code startup()}
     * returns at about that point, but the first client would otherwise race the listener.
     *
     * @return the cluster id
     */
    private static String awaitReady(String bootstrap, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin probe = Admin.create(adminProperties(bootstrap))) {
            while (System.nanoTime() < deadline) {
                try {
                    DescribeClusterResult cluster = probe.describeCluster();
                    Collection<Node> nodes = cluster.nodes().get(5, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return cluster.clusterId().get(5, TimeUnit.SECONDS);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        }
        throw new BrokerException("Kafka broker " + bootstrap + " did not become ready within " + timeout, last);
    }

    /** Admin client settings for this module's own admin calls against {@code bootstrap}. */
    static Map<String, Object> adminProperties(String bootstrap) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "kmswatch-broker-admin",
                // Short per-request timeouts so the readiness loop re-polls instead of waiting 60 s.
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    }

    private static void stopQuietly(KafkaRaftServer server, String name) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (Exception e) {
            LOG.warn("Kafka broker {} did not shut down cleanly: {}", name, e.toString());
        }
    }

    /**
     * Returns the address clients connect to.
     *
     * @return {@code host:port} of the PLAINTEXT listener
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the configuration the broker runs with, with data directory and both ports filled in.
     *
     * @return the resolved configuration
     */
    public BrokerConfig config() {
        return config;
    }

    /**
     * Returns the PLAINTEXT port.
     *
     * @return the client port
     */
    public int port() {
        return config.port();
    }

    /**
     * Returns the broker's log directory.
     *
     * @return the data directory (a temporary one if none was configured)
     */
    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * Returns the id of the cluster this node belongs to, as read back from the running broker.
     *
     * @return the cluster id
     */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Creates topics with the broker's default replication factor and waits until every partition
     * has a leader, so a producer created right after does not start with metadata errors.
     *
     * @param partitions the number of partitions of each topic
     * @param names      the topic names
     * @throws BrokerException if a topic cannot be created (for example because it exists)
     */
    public void createTopics(int partitions, String... names) {
        createTopics(Arrays.stream(names)
                .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()))
                .collect(Collectors.toList()));
    }

    /**
     * Creates topics as described (partitions, replication, per-topic configs such as
     * {@code retention.ms}) and waits until every partition has a leader.
     *
     * @param topics the topics to create
     * @throws BrokerException if a topic cannot be created (for example because it exists)
     */
    public void createTopics(Collection<NewTopic> topics) {
        createTopics(admin(), bootstrapServers, topics);
    }

    /** Creates topics through {@code admin}; shared with {@code KafkaCluster} (test support). */
    static void createTopics(Admin admin, String bootstrap, Collection<NewTopic> topics) {
        List<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toList());
        long timeoutMs = ADMIN_CALL_TIMEOUT.toMillis();
        try {
            admin.createTopics(topics).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            awaitLeaders(admin, names, System.nanoTime() + ADMIN_CALL_TIMEOUT.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while creating topics " + names + " on " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerException("cannot create topics " + names + " on " + bootstrap + ": " + cause, cause);
        }
    }

    /**
     * Waits until the broker the admin talks to knows a leader for every partition. The controller
     * answers CreateTopics once the topic is committed to the metadata log; brokers apply that log
     * a moment later.
     */
    private static void awaitLeaders(Admin admin, List<String> names, long deadlineNanos)
            throws InterruptedException, TimeoutException {
        List<String> missing = new ArrayList<>(names);
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(missing).allTopicNames().get(5, TimeUnit.SECONDS);
                missing.removeIf(name -> descriptions.get(name).partitions().stream()
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty()));
                if (missing.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // UnknownTopicOrPartition until the broker has applied the new metadata.
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new TimeoutException("no leader yet for partitions of " + missing);
            }
            Thread.sleep(50);
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new BrokerException("Kafka broker " + bootstrapServers + " is closed");
        }
        if (admin == null) {
            admin = Admin.create(adminProperties(bootstrapServers));
        }
        return admin;
    }

    /**
     * Stops the broker ({@code shutdown} then {@code awaitShutdown}) and deletes its data directory
     * if it was a temporary one. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            stopQuietly(server, bootstrapServers);
        } finally {
            if (exitGuarded) {
                ExitGuard.release();
            }
            if (ownsDataDir) {
                Directories.deleteQuietly(config.dataDir());
            }
        }
        LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers + ", node " + config.nodeId() + ", " + config.dataDir() + "]";
    }
}
