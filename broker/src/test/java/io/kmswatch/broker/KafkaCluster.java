package io.kmswatch.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A multi-node KRaft cluster of {@link ChildBroker}s, one JVM per node, for fault tests.
 *
 * <p>Nodes have ids {@code 1..size}. Each is a combined broker and controller; the controllers form
 * a static voter set of all nodes, so a majority must be up for the cluster to accept writes.
 * Replication is {@code min(3, size)} for every topic including the internal ones, and
 * {@code min.insync.replicas} is one less (at least 1): a three-node cluster keeps accepting
 * {@code acks=all} writes with one node down. Ports are fixed per node for the life of the cluster,
 * because the voter set names them; {@link #restart(int)} therefore brings a node back at the same
 * address, on the same data directory.
 *
 * <p>As for every {@link ChildBroker}, brokers are fenced after 3 s without a heartbeat (9 s by
 * default), so a {@link #kill(int)} moves partition leadership quickly. Methods that change nodes are synchronized; {@link #close()}
 * kills every node and deletes the cluster's working directory.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;
    private final List<String> jvmOptions;
    private final SortedMap<Integer, BrokerConfig> configs;
    private final SortedMap<Integer, ChildBroker> running = new TreeMap<>();
    private final String bootstrapServers;
    private Admin admin;
    private boolean closed;

    private KafkaCluster(Path workDir, List<String> jvmOptions, SortedMap<Integer, BrokerConfig> configs) {
        this.workDir = workDir;
        this.jvmOptions = jvmOptions;
        this.configs = configs;
        this.bootstrapServers = configs.values().stream()
                .map(config -> config.host() + ":" + config.port())
                .collect(Collectors.joining(","));
    }

    /**
     * Starts a cluster of {@code size} child-JVM nodes with {@link ChildBroker#DEFAULT_JVM_OPTIONS}
     * and waits until every broker is registered.
     *
     * @param size the number of nodes, at least 1
     * @return the running cluster
     * @throws BrokerException if the cluster does not come up
     */
    public static KafkaCluster start(int size) {
        return start(size, ChildBroker.DEFAULT_JVM_OPTIONS);
    }

    /**
     * Starts a cluster of {@code size} child-JVM nodes and waits until every broker is registered.
     * When a picked port was taken before a node bound it, the whole cluster is retried (up to
     * three attempts) on fresh ports in a fresh directory.
     *
     * @param size       the number of nodes, at least 1
     * @param jvmOptions JVM options for every node
     * @return the running cluster
     * @throws BrokerException if the cluster does not come up
     */
    public static KafkaCluster start(int size, List<String> jvmOptions) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node: " + size);
        }
        BrokerException failure = null;
        for (int attempt = 1; attempt <= EmbeddedKafkaBroker.START_ATTEMPTS; attempt++) {
            Path workDir = Directories.createTemp("kmswatch-cluster-");
            KafkaCluster cluster = new KafkaCluster(workDir, List.copyOf(jvmOptions), nodeConfigs(size, workDir));
            try {
                cluster.startAll();
                return cluster;
            } catch (BrokerException e) {
                cluster.close();
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                if (!Ports.isBindFailure(e)) {
                    throw e;
                }
                LOG.warn("Kafka cluster start attempt {}/{} lost a port race, retrying: {}",
                        attempt, EmbeddedKafkaBroker.START_ATTEMPTS, e.getMessage());
            }
        }
        throw failure;
    }

    /** Fixes every node's ports up front: the voter string must name them before any node starts. */
    private static SortedMap<Integer, BrokerConfig> nodeConfigs(int size, Path workDir) {
        String host = BrokerConfig.DEFAULT_HOST;
        int[] ports = Ports.pickFree(host, 2 * size);
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@" + host + ":" + ports[2 * (id - 1) + 1])
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        int replicationFactor = Math.min(3, size);
        int minInSync = Math.max(1, replicationFactor - 1);
        String rf = Integer.toString(replicationFactor);
        String isr = Integer.toString(minInSync);

        SortedMap<Integer, BrokerConfig> configs = new TreeMap<>();
        for (int id = 1; id <= size; id++) {
            configs.put(id, BrokerConfig.builder()
                    .dataDir(workDir.resolve("node-" + id))
                    .host(host)
                    .nodeId(id)
                    .port(ports[2 * (id - 1)])
                    .controllerPort(ports[2 * (id - 1) + 1])
                    .controllerQuorumVoters(voters)
                    // Every node must be formatted with the same cluster id, or they refuse each other.
                    .clusterId(clusterId)
                    .brokerProperty("default.replication.factor", rf)
                    .brokerProperty("min.insync.replicas", isr)
                    .brokerProperty("offsets.topic.replication.factor", rf)
                    .brokerProperty("transaction.state.log.replication.factor", rf)
                    .brokerProperty("transaction.state.log.min.isr", isr)
                    .brokerProperty("share.coordinator.state.topic.replication.factor", rf)
                    .brokerProperty("share.coordinator.state.topic.min.isr", isr)
                    .build());
        }
        return configs;
    }

    private synchronized void startAll() {
        // Launch side by side: a node's broker cannot finish starting until a majority of the
        // controllers has elected a leader.
        configs.forEach((id, config) -> running.put(id, ChildBroker.launch(config, jvmOptions)));
        for (ChildBroker child : running.values()) {
            child.awaitBootstrap(ChildBroker.START_TIMEOUT);
        }
        awaitBrokers(configs.keySet());
        LOG.info("Kafka cluster of {} nodes up at {}", configs.size(), bootstrapServers);
    }

    /**
     * Returns the addresses of all nodes, running or not; clients skip the ones that are down.
     *
     * @return a comma-separated {@code host:port} list
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the node ids.
     *
     * @return {@code 1..size}
     */
    public Set<Integer> nodeIds() {
        return Set.copyOf(configs.keySet());
    }

    /**
     * Returns a running node, e.g. for its pid or recent output.
     *
     * @param nodeId the node id
     * @return the node's child broker
     * @throws BrokerException if the node is stopped
     */
    public synchronized ChildBroker node(int nodeId) {
        ChildBroker child = running.get(requireNode(nodeId));
        if (child == null || !child.isAlive()) {
            throw new BrokerException("node " + nodeId + " is not running");
        }
        return child;
    }

    /**
     * Tells whether a node's process is running.
     *
     * @param nodeId the node id
     * @return {@code true} if the node's JVM is alive
     */
    public synchronized boolean isRunning(int nodeId) {
        ChildBroker child = running.get(requireNode(nodeId));
        return child != null && child.isAlive();
    }

    /**
     * Stops a node cleanly (controlled shutdown), keeping its data directory. Does nothing if it is
     * already stopped.
     *
     * @param nodeId the node id
     */
    public synchronized void stop(int nodeId) {
        ChildBroker child = running.remove(requireNode(nodeId));
        if (child != null) {
            child.stop();
        }
    }

    /**
     * Kills a node with SIGKILL, as {@code kill -9} would, keeping its data directory.
     *
     * @param nodeId the node id
     */
    public synchronized void kill(int nodeId) {
        ChildBroker child = running.remove(requireNode(nodeId));
        if (child != null) {
            child.kill();
        }
    }

    /**
     * Starts a node again on its data directory and ports (stopping it first if it runs), and waits
     * until the cluster lists it among its brokers.
     *
     * @param nodeId the node id
     * @throws BrokerException if the node does not come back
     */
    public synchronized void restart(int nodeId) {
        stop(nodeId);
        ChildBroker child = ChildBroker.start(configs.get(nodeId), jvmOptions);
        running.put(nodeId, child);
        awaitBrokers(Set.of(nodeId));
        LOG.info("Kafka cluster node {} restarted", nodeId);
    }

    /**
     * Creates topics with the cluster's replication factor and waits until every partition has a
     * leader.
     *
     * @param partitions the number of partitions of each topic
     * @param names      the topic names
     * @throws BrokerException if a topic cannot be created
     */
    public void createTopics(int partitions, String... names) {
        createTopics(Arrays.stream(names)
                .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()))
                .collect(Collectors.toList()));
    }

    /**
     * Creates topics as described and waits until every partition has a leader.
     *
     * @param topics the topics to create
     * @throws BrokerException if a topic cannot be created
     */
    public void createTopics(Collection<NewTopic> topics) {
        EmbeddedKafkaBroker.createTopics(admin(), bootstrapServers, topics);
    }

    /**
     * Waits until the cluster's metadata lists the given nodes as live brokers.
     *
     * @param nodeIds the node ids that must be listed
     * @throws BrokerException if they are not listed within 60 s
     */
    public void awaitBrokers(Collection<Integer> nodeIds) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Set<Integer> listed = Set.of();
        Exception last = null;
        try {
            while (System.nanoTime() < deadline) {
                try {
                    listed = admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                            .map(Node::id)
                            .collect(Collectors.toSet());
                    if (listed.containsAll(nodeIds)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while waiting for brokers " + nodeIds, e);
        }
        throw new BrokerException("brokers " + nodeIds + " not all registered within " + READY_TIMEOUT
                + " at " + bootstrapServers + "; listed: " + listed, last);
    }

    private int requireNode(int nodeId) {
        if (!configs.containsKey(nodeId)) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + configs.keySet());
        }
        return nodeId;
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new BrokerException("Kafka cluster " + bootstrapServers + " is closed");
        }
        if (admin == null) {
            admin = Admin.create(EmbeddedKafkaBroker.adminProperties(bootstrapServers));
        }
        return admin;
    }

    /**
     * Kills every node and deletes the cluster's working directory. Calling it again does nothing.
     *
     * <p>The nodes are killed rather than stopped: their data is deleted next, so a clean shutdown
     * buys nothing, and it is slow. Stopped one by one, the last nodes lose their controller
     * majority; even stopped all at once, a controller waits out Raft's 5 s graceful-shutdown
     * timeout for peers that are already gone.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        List<ChildBroker> children = new ArrayList<>(running.values());
        running.clear();
        try {
            children.forEach(ChildBroker::kill);
        } finally {
            Directories.deleteQuietly(workDir);
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + bootstrapServers + ", " + workDir + "]";
    }
}
