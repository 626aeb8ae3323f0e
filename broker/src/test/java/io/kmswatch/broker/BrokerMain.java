package io.kmswatch.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs one broker as the main class of its own JVM, so that a test can kill it (even with
 * {@code kill -9}) without killing itself, and so that a broker fault terminates only that JVM.
 *
 * <pre>
 * java -cp CLASSPATH io.kmswatch.broker.BrokerMain [--data-dir DIR] [--host HOST] [--port PORT]
 *      [--controller-port PORT] [--node-id N] [--controller-quorum-voters ID@HOST:PORT,...]
 *      [--cluster-id ID] [--property NAME=VALUE]...
 * </pre>
 *
 * <p>Protocol with the parent, which {@link ChildBroker} implements:
 * <ul>
 *   <li>once the broker answers {@code describeCluster}, one line {@code BOOTSTRAP=host:port} is
 *       printed on stdout (other stdout lines are log output and must be ignored);</li>
 *   <li>when stdin reaches end of file (the parent closed it, or the parent died) the broker shuts
 *       down cleanly and the JVM exits with status 0;</li>
 *   <li>SIGTERM also shuts the broker down cleanly, through a shutdown hook;</li>
 *   <li>a start failure prints the stack trace on stderr and exits with status 1; bad arguments
 *       exit with status 2.</li>
 * </ul>
 * Without {@code --data-dir} the broker uses a temporary directory deleted at exit, which makes a
 * restart start from nothing; {@link ChildBroker} therefore always passes one.
 */
public final class BrokerMain {
    /** Prefix of the line that announces the broker's address to the parent process. */
    public static final String BOOTSTRAP_PREFIX = "BOOTSTRAP=";

    private static final String USAGE = "usage: BrokerMain [--data-dir DIR] [--host HOST] [--port PORT]"
            + " [--controller-port PORT] [--node-id N] [--controller-quorum-voters ID@HOST:PORT,...]"
            + " [--cluster-id ID] [--property NAME=VALUE]...";

    private static final Set<String> OPTIONS = Set.of("--data-dir", "--host", "--port", "--controller-port",
            "--node-id", "--controller-quorum-voters", "--cluster-id", "--property");

    private BrokerMain() {
    }

    /**
     * Starts the broker, announces it and serves until stdin closes.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        BrokerConfig config;
        try {
            config = parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }

        EmbeddedKafkaBroker broker;
        try {
            // No exit guard: in its own JVM a broker that hits a fatal fault should terminate, and
            // the parent notices the dead process.
            broker = EmbeddedKafkaBroker.start(config, false);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kmswatch-broker-shutdown"));

        System.out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
        System.out.flush();

        awaitEndOfInput(System.in);
        broker.close();
        // Kafka leaves a few non-daemon threads behind after shutdown; exit explicitly so the parent
        // sees the process end as soon as the broker has stopped.
        System.exit(0);
    }

    /** Blocks until the parent closes the pipe; a read error means the same thing. */
    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // Input carries no commands; only its end matters.
            }
        } catch (IOException e) {
            // The pipe broke because the parent went away: shut down as for a clean close.
        }
    }

    /**
     * Parses the command line into a configuration.
     *
     * @throws IllegalArgumentException on an unknown option, a missing value or a bad number
     */
    static BrokerConfig parse(List<String> args) {
        BrokerConfig.Builder builder = BrokerConfig.builder();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args.get(++i);
            switch (option) {
                case "--data-dir" -> builder.dataDir(Path.of(value));
                case "--host" -> builder.host(value);
                case "--port" -> builder.port(parseInt(option, value));
                case "--controller-port" -> builder.controllerPort(parseInt(option, value));
                case "--node-id" -> builder.nodeId(parseInt(option, value));
                case "--controller-quorum-voters" -> builder.controllerQuorumVoters(value);
                case "--cluster-id" -> builder.clusterId(value);
                case "--property" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--property needs NAME=VALUE, got " + value);
                    }
                    builder.brokerProperty(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return builder.build();
    }

    /**
     * Returns the command-line options that make {@link #parse(List)} yield {@code config} again;
     * the inverse of parsing, used by {@link ChildBroker} to hand a configuration to the child.
     */
    static List<String> arguments(BrokerConfig config) {
        List<String> args = new ArrayList<>();
        if (config.dataDir() != null) {
            add(args, "--data-dir", config.dataDir().toAbsolutePath().toString());
        }
        add(args, "--host", config.host());
        add(args, "--port", Integer.toString(config.port()));
        add(args, "--controller-port", Integer.toString(config.controllerPort()));
        add(args, "--node-id", Integer.toString(config.nodeId()));
        if (config.controllerQuorumVoters() != null) {
            add(args, "--controller-quorum-voters", config.controllerQuorumVoters());
        }
        if (config.clusterId() != null) {
            add(args, "--cluster-id", config.clusterId());
        }
        config.brokerProperties().forEach((name, value) -> add(args, "--property", name + "=" + value));
        return args;
    }

    private static void add(List<String> args, String option, String value) {
        args.add(option);
        args.add(value);
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + value, e);
        }
    }
}
