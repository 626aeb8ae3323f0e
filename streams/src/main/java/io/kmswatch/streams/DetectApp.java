package io.kmswatch.streams;

import io.kmswatch.events.TopicSetup;
import io.kmswatch.events.Topics;
import io.kmswatch.streams.state.BoundedRocksDbMemory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kmswatch detect} stage: runs {@link DetectionTopology} from {@code kms-events} to
 * {@code kms-detections} with Kafka Streams. Several instances with the same application id share the
 * input partitions (and take over each other's when one stops); under {@code exactly_once_v2} (the
 * default) each detection is written exactly once even when an instance dies mid-stream.
 *
 * <pre>{@code
 * try (DetectApp app = new DetectApp(StreamsSettings.of("localhost:9092"), DetectionsConfig.fromYaml(path), metrics)) {
 *     app.start();
 *     app.awaitRunning(Duration.ofSeconds(30));
 *     ... // until shutdown
 * }
 * }</pre>
 *
 * Not thread-safe: start and close from one thread.
 */
public final class DetectApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectApp.class);
    /** Per partition of the created topics; time retention is off because replayed event times are old. */
    static final String RETENTION_BYTES = String.valueOf(10L * 1024 * 1024 * 1024);

    private final StreamsSettings settings;
    private final DetectionsConfig config;
    private final StreamsMetrics metrics;
    private final Topics topics;
    private volatile boolean seedFromInventory;
    private KafkaStreams streams;

    /**
     * @throws DetectionException when the config cannot be honoured
     */
    public DetectApp(StreamsSettings settings, DetectionsConfig config, StreamsMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.topics = settings.topics();
        DetectionTopology.build(config, topics, metrics); // validate early, before touching Kafka
    }

    /**
     * Reads {@code kms-key-inventory} too (created compacted, with {@code kms-events}' partitions, when
     * missing): its snapshots seed the key inventory and the posture detections. Call before {@link #start}.
     */
    public DetectApp seedFromInventory(boolean on) {
        this.seedFromInventory = on;
        return this;
    }

    /**
     * Creates missing topics and starts processing; returns at once (see {@link #awaitRunning}).
     *
     * @throws DetectionException when topics cannot be created or Streams cannot start
     */
    public void start() {
        if (streams != null) {
            throw new IllegalStateException("already started");
        }
        int inputPartitions = createTopics();
        streams = new KafkaStreams(DetectionTopology.build(config, topics, metrics, inputPartitions, seedFromInventory),
                streamsProperties(inputPartitions));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
    }

    /** Waits until the instance is RUNNING (partitions assigned, state restored); false on timeout. */
    public boolean awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The Streams state, or {@code CREATED} before {@link #start}. */
    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    public StreamsMetrics metrics() {
        return metrics;
    }

    public Topics topics() {
        return topics;
    }

    /** The Streams properties this app runs with (settings, derived values, then {@code kafka} overrides). */
    public Properties streamsProperties() {
        return streamsProperties(settings.partitions());
    }

    /** The Streams properties for an input topic of {@code inputPartitions} partitions (they bound the threads). */
    private Properties streamsProperties(int inputPartitions) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.processingGuarantee());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads(inputPartitions));
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        // No store uses Kafka Streams' byte record cache: the write-behind stores fold the writes of hot keys
        // into one changelog record per commit themselves (io.kmswatch.streams.state), so none is reserved.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // RocksDB's native memory (the dedup store) has one bound for the process, not 100 MB per instance.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        // The producer's default linger of 100 ms is paid once per hop (input → repartition → output).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // A task reads its kms-events partition and the principal repartition side by side, and nothing here
        // relies on Streams interleaving the two by timestamp: the per-principal processors judge lateness by
        // the newest event they saw themselves, and settle ticks are gated on every partition's tick
        // (SettleTicks). With the default (0) a task whose repartition buffer is empty, the usual case, checks
        // lags in every processing round and formats a log line of them whether or not it is logged
        // (PartitionGroup.readyToProcess, 5 % of the stream threads' samples); -1 processes what is buffered.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        if (StreamsSettings.EXACTLY_ONCE_V2.equals(settings.processingGuarantee())) {
            // With transactions v2 the broker rejects a partition's first batch of a transaction when it
            // overtakes the one before it (retriable OutOfOrderSequence, KAFKA-18202); the retry backoff
            // then costs seconds of detection latency. One request in flight keeps batches in order.
            p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        }
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingDeserializationHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingProcessingExceptionHandler.class);
        // The handler also covers global state (there is none here): Kafka 5 makes this the default, and
        // Kafka 4.4 warns on every StreamsConfig without it. The partition assignor builds its own
        // StreamsConfig from the main consumer's settings, so it is passed there too.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // Dead-letter records returned by the handlers go out only when a dead-letter topic is named.
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.kmsEventsRejected().name());
        p.put(RejectingDeserializationHandler.METRICS_CONFIG, metrics);
        p.put(RejectingDeserializationHandler.REJECTED_TOPIC_CONFIG, topics.kmsEventsRejected().name());
        p.putAll(settings.kafka());
        return p;
    }

    /** Creates the missing topics; returns the partition count of {@code kms-events}. */
    private int createTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        settings.kafka().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(topics.kmsEvents().name(), topics.kmsDetections().name(),
                topics.kmsEventsRejected().name())) {
            wanted.add(new NewTopic(name, settings.partitions(), settings.replicationFactor().shortValue())
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", RETENTION_BYTES)));
        }
        try (Admin admin = Admin.create(p)) {
            String input = topics.kmsEvents().name();
            int partitions = TopicSetup.ensure(admin, wanted, Duration.ofSeconds(60)).get(input).partitions().size();
            if (seedFromInventory) {
                String inventory = topics.kmsKeyInventory().name();
                int n = TopicSetup.ensure(admin, List.of(new NewTopic(inventory, partitions,
                                settings.replicationFactor().shortValue())
                        .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1"))), Duration.ofSeconds(60))
                        .get(inventory).partitions().size();
                if (n != partitions) {
                    throw new DetectionException(inventory + " has " + n + " partitions and " + input + " " + partitions
                            + ": they must match so that a key's snapshot and its events reach the same task");
                }
            }
            return partitions;
        } catch (TopicSetup.TopicSetupException e) {
            throw new DetectionException("cannot create topics on " + settings.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** Stops processing, committing what was processed; waits up to 30 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Stops processing; false when it did not finish within the timeout. */
    public boolean close(Duration timeout) {
        if (streams == null) {
            return true;
        }
        boolean done = streams.close(timeout);
        streams = null;
        return done;
    }
}
