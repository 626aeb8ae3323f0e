package io.kmswatch.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker running as {@link BrokerMain} in a child JVM with this JVM's classpath, for tests that
 * stop, kill ({@code kill -9}) and restart brokers.
 *
 * <p>Unlike the in-process default, a child broker is fenced after 3 s without a heartbeat
 * ({@code broker.session.timeout.ms=3000}, unless the configuration sets it), so that a kill moves
 * leadership and a restart after a kill registers again within seconds.
 *
 * <p>The child always gets a data directory (a temporary one owned by this object when the
 * configuration has none), so {@link #restart()} brings the same topics and offsets back. The
 * child's stdout and stderr are merged and forwarded at INFO to the logger
 * {@code io.kmswatch.broker.child.broker-<nodeId>}; the last lines are also kept for error
 * messages. If this JVM dies, the child's stdin closes and the child shuts itself down.
 *
 * <p>Instances are thread-safe. {@link #close()} stops the child and deletes an owned directory.
 */
public final class ChildBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildBroker.class);

    /**
     * JVM options for a child broker: a bounded heap (the recipe measured ~275 MB RSS idle), the
     * serial collector, and C1 only, which starts a broker noticeably faster on a small machine;
     * throughput is not what fault tests measure.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * Broker settings every child gets unless its configuration sets them: a broker that stops
     * heartbeating is fenced after 3 s instead of 9 s. Child brokers exist to be killed, and a
     * killed broker's old registration blocks its restart until that session expires, so the
     * default would add about 9 s to every kill-and-restart (and delay leader failover as long).
     */
    static final Map<String, String> FAULT_TEST_PROPERTIES = Map.of(
            "broker.heartbeat.interval.ms", "500",
            "broker.session.timeout.ms", "3000");

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int OUTPUT_LINES_KEPT = 60;

    private final BrokerConfig config;
    private final List<String> jvmOptions;
    private final String name;
    private final Logger output;
    private final Process process;
    private final CompletableFuture<String> bootstrap = new CompletableFuture<>();
    private final Deque<String> recentOutput = new ArrayDeque<>();
    private boolean ownsDataDir;
    private boolean closed;

    private ChildBroker(BrokerConfig config, List<String> jvmOptions, boolean ownsDataDir, Process process) {
        this.config = config;
        this.jvmOptions = jvmOptions;
        this.ownsDataDir = ownsDataDir;
        this.process = process;
        this.name = "broker-" + config.nodeId();
        // One logger per node under io.kmswatch.broker.child, so a test's log config can quiet or
        // separate the children's output.
        this.output = LoggerFactory.getLogger("io.kmswatch.broker.child." + name);
        Thread pump = new Thread(this::pumpOutput, "kmswatch-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts a child broker with {@link #DEFAULT_JVM_OPTIONS} and waits for its address.
     *
     * @param config how to run the broker; without a data directory a temporary one is used
     * @return the running child
     * @throws BrokerException if the child exits or does not announce itself within 90 s
     */
    public static ChildBroker start(BrokerConfig config) {
        return start(config, DEFAULT_JVM_OPTIONS);
    }

    /**
     * Starts a child broker with the given JVM options and waits for its address.
     *
     * @param config     how to run the broker; without a data directory a temporary one is used
     * @param jvmOptions options placed before the main class, e.g. {@code -Xmx256m}
     * @return the running child
     * @throws BrokerException if the child exits or does not announce itself within 90 s
     */
    public static ChildBroker start(BrokerConfig config, List<String> jvmOptions) {
        ChildBroker child = launch(config, jvmOptions);
        try {
            child.awaitBootstrap(START_TIMEOUT);
            return child;
        } catch (RuntimeException e) {
            // A child that failed to announce itself may hang in startup: do not wait for a clean
            // stop that may never come.
            try {
                child.kill();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            child.close();
            throw e;
        }
    }

    /**
     * Launches the child without waiting for it, so several children (the nodes of one cluster,
     * which wait for each other's votes) can start side by side.
     */
    static ChildBroker launch(BrokerConfig config, List<String> jvmOptions) {
        boolean ownsDataDir = config.dataDir() == null;
        BrokerConfig.Builder builder = config.toBuilder();
        FAULT_TEST_PROPERTIES.forEach((name, value) -> {
            if (!config.brokerProperties().containsKey(name)) {
                builder.brokerProperty(name, value);
            }
        });
        if (ownsDataDir) {
            builder.dataDir(Directories.createTemp("kmswatch-child-broker-"));
        }
        BrokerConfig resolved = builder.build();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // Surefire and failsafe set java.class.path to the real test classpath even when they
        // boot from a manifest-only jar, so the child sees the same classes and log4j2 config.
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BrokerMain.class.getName());
        command.addAll(BrokerMain.arguments(resolved));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            LOG.debug("Launched child broker node {} as pid {}", resolved.nodeId(), process.pid());
            return new ChildBroker(resolved, List.copyOf(jvmOptions), ownsDataDir, process);
        } catch (IOException e) {
            if (ownsDataDir) {
                Directories.deleteQuietly(resolved.dataDir());
            }
            throw new UncheckedIOException("cannot launch a child JVM for broker node " + resolved.nodeId(), e);
        }
    }

    /**
     * Waits until the child prints its {@code BOOTSTRAP=} line.
     *
     * @throws BrokerException if the child exits first or the timeout passes; the message carries
     *                         the child's last output lines
     */
    void awaitBootstrap(Duration timeout) {
        try {
            bootstrap.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(name + " start interrupted", e);
        } catch (ExecutionException e) {
            throw new BrokerException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerException(name + " (pid " + process.pid() + ") did not announce itself within "
                    + timeout + "; last output:\n" + recentOutputText(), e);
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!bootstrap.isDone() && line.startsWith(BrokerMain.BOOTSTRAP_PREFIX)) {
                    bootstrap.complete(line.substring(BrokerMain.BOOTSTRAP_PREFIX.length()).trim());
                    continue;
                }
                synchronized (recentOutput) {
                    if (recentOutput.size() == OUTPUT_LINES_KEPT) {
                        recentOutput.removeFirst();
                    }
                    recentOutput.addLast(line);
                }
                output.info("[{}] {}", name, line);
            }
        } catch (IOException e) {
            // The stream closes when the process is destroyed; what follows handles that case.
        }
        if (!bootstrap.isDone()) {
            String status;
            try {
                status = process.waitFor(5, TimeUnit.SECONDS) ? "status " + process.exitValue() : "no status";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = "unknown status";
            }
            bootstrap.completeExceptionally(new BrokerException(name + " (pid " + process.pid()
                    + ") exited with " + status + " before announcing itself; last output:\n" + recentOutputText()));
        }
    }

    /**
     * Returns the last lines the child printed (log output and, after a failed start, the stack
     * trace), oldest first.
     *
     * @return up to 60 lines
     */
    public List<String> recentOutput() {
        synchronized (recentOutput) {
            return List.copyOf(recentOutput);
        }
    }

    private String recentOutputText() {
        return String.join("\n", recentOutput());
    }

    /**
     * Returns the address clients connect to.
     *
     * @return {@code host:port} as announced by the child
     * @throws BrokerException if the child never announced itself
     */
    public String bootstrapServers() {
        if (!bootstrap.isDone() || bootstrap.isCompletedExceptionally()) {
            throw new BrokerException(name + " has not announced a bootstrap address");
        }
        return bootstrap.join();
    }

    /**
     * Creates topics with the broker's default replication factor and waits until every partition
     * has a leader.
     *
     * @param partitions the number of partitions of each topic
     * @param names      the topic names
     * @throws BrokerException if a topic cannot be created or the child is not running
     */
    public void createTopics(int partitions, String... names) {
        String address = bootstrapServers();
        try (Admin admin = Admin.create(EmbeddedKafkaBroker.adminProperties(address))) {
            EmbeddedKafkaBroker.createTopics(admin, address, Arrays.stream(names)
                    .map(topic -> new NewTopic(topic, Optional.of(partitions), Optional.empty()))
                    .collect(Collectors.toList()));
        }
    }

    /**
     * Returns the configuration the child was started with; its data directory is always set.
     *
     * @return the configuration
     */
    public BrokerConfig config() {
        return config;
    }

    /**
     * Returns the child's data directory.
     *
     * @return the data directory, which outlives {@link #stop()} and {@link #kill()}
     */
    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * Returns the child's process id, e.g. to send it signals from a test.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Tells whether the child process is still running.
     *
     * @return {@code true} while the process lives
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns the child's exit status once it has exited.
     *
     * @return the exit status, empty while the process runs
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Stops the broker cleanly (controlled shutdown) by closing the child's stdin, and waits up to
     * 30 s before killing it. Does nothing if the child is not running.
     */
    public void stop() {
        beginStop();
        awaitExit(STOP_TIMEOUT);
    }

    /**
     * Sends SIGTERM ({@link Process#destroy()}); the child's shutdown hook stops the broker cleanly.
     * Waits up to 30 s before killing it.
     */
    public void terminate() {
        process.destroy();
        awaitExit(STOP_TIMEOUT);
    }

    /**
     * Kills the child at once with SIGKILL ({@link Process#destroyForcibly()}), as {@code kill -9}
     * would: no controlled shutdown, no flush. Waits until the process is gone.
     *
     * @throws BrokerException if the process is still alive after 10 s
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrokerException(name + " (pid " + process.pid() + ") survived SIGKILL for " + KILL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while killing " + name, e);
        }
        LOG.info("{} (pid {}) killed", name, process.pid());
    }

    /** Closes the child's stdin, which BrokerMain takes as the signal to shut down. */
    private void beginStop() {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException e) {
            // The pipe is already broken, so the child has already seen end of input or is gone.
        }
    }

    /** Waits for the child to exit, then kills it if it has not. */
    private void awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("{} (pid {}) stopped with status {}", name, process.pid(), process.exitValue());
                return;
            }
            LOG.warn("{} (pid {}) did not stop within {}; killing it", name, process.pid(), timeout);
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Stops this child if it still runs and starts a new one on the same data directory with the
     * same client port, so clients' bootstrap address stays valid. Ownership of a temporary data
     * directory passes to the new child.
     *
     * @return the new, running child
     * @throws BrokerException if the new child does not start
     */
    public synchronized ChildBroker restart() {
        if (isAlive()) {
            stop();
        }
        BrokerConfig again = config;
        if (config.port() == 0 && bootstrap.isDone() && !bootstrap.isCompletedExceptionally()) {
            String address = bootstrap.join();
            again = config.toBuilder().port(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))).build();
        }
        ChildBroker next = start(again, jvmOptions);
        next.ownsDataDir = ownsDataDir;
        ownsDataDir = false;
        closed = true;
        return next;
    }

    /** Stops the child if it runs and deletes its data directory if this object created it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (isAlive()) {
            stop();
        }
        if (ownsDataDir) {
            Directories.deleteQuietly(config.dataDir());
        }
    }

    @Override
    public String toString() {
        return "ChildBroker[" + name + ", pid " + process.pid() + ", "
                + (bootstrap.isDone() && !bootstrap.isCompletedExceptionally() ? bootstrap.join() : "starting")
                + ", " + config.dataDir() + "]";
    }
}
