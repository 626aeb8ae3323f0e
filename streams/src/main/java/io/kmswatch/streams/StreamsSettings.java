package io.kmswatch.streams;

import io.kmswatch.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link DetectApp} runs the topology: where Kafka is, the application id that several
 * {@code kmswatch detect} processes share (they split the partitions between them), the processing
 * guarantee and the client settings. Kafka client settings in {@code kafka} pass through unchanged and
 * win over everything derived here.
 *
 * @param bootstrapServers    Kafka bootstrap servers; never null
 * @param applicationId       Streams application id (group id and internal topic prefix); default {@code kmswatch-detect}
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param commitInterval      default 100 ms: results become visible at each commit under exactly-once
 * @param numStreamThreads    stream threads; default (null) one per processor core, at most one per input
 *                            partition (a thread without a partition would only idle)
 * @param stateDir            where RocksDB state lives; default {@code ./kmswatch-state}
 * @param kafka               extra Kafka client/Streams properties; never null
 * @param topicPrefix         prefix of every kmswatch topic name; default empty
 * @param partitions          partitions of the topics created when missing; default 4
 * @param replicationFactor   replication of created topics and internal topics; default 1;
 *                            {@value #BROKER_DEFAULT_REPLICATION} for the broker's {@code default.replication.factor}
 */
public record StreamsSettings(String bootstrapServers, String applicationId, String processingGuarantee,
                              Duration commitInterval, Integer numStreamThreads, Path stateDir,
                              Map<String, String> kafka, String topicPrefix, Integer partitions,
                              Integer replicationFactor) {
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    public static final String AT_LEAST_ONCE = "at_least_once";
    /** The replication factor that means "the broker's {@code default.replication.factor}" (Kafka's -1). */
    public static final int BROKER_DEFAULT_REPLICATION = -1;

    public StreamsSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers is required");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        applicationId = applicationId == null || applicationId.isBlank() ? "kmswatch-detect" : applicationId;
        processingGuarantee = processingGuarantee == null ? EXACTLY_ONCE_V2 : processingGuarantee;
        if (!processingGuarantee.equals(EXACTLY_ONCE_V2) && !processingGuarantee.equals(AT_LEAST_ONCE)) {
            throw new IllegalArgumentException("processingGuarantee must be " + EXACTLY_ONCE_V2 + " or "
                    + AT_LEAST_ONCE + ", got '" + processingGuarantee + "'");
        }
        commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("commitInterval must be positive, got " + commitInterval);
        }
        if (numStreamThreads != null && numStreamThreads < 1) {
            throw new IllegalArgumentException("numStreamThreads must be at least 1, got " + numStreamThreads);
        }
        stateDir = stateDir == null ? Path.of("kmswatch-state") : stateDir;
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Topics.withPrefix(topicPrefix); // validates the prefix
        partitions = partitions == null ? 4 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1 && replicationFactor != BROKER_DEFAULT_REPLICATION) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, or " + BROKER_DEFAULT_REPLICATION
                    + " for the broker's default, got " + replicationFactor);
        }
    }

    /** The stream threads to run for an input topic of {@code inputPartitions} partitions. */
    public int streamThreads(int inputPartitions) {
        if (numStreamThreads != null) {
            return numStreamThreads;
        }
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), inputPartitions));
    }

    /** Defaults for everything but the bootstrap servers. */
    public static StreamsSettings of(String bootstrapServers) {
        return new StreamsSettings(bootstrapServers, null, null, null, null, null, null, null, null, null);
    }

    public StreamsSettings withApplicationId(String id) {
        return new StreamsSettings(bootstrapServers, id, processingGuarantee, commitInterval, numStreamThreads,
                stateDir, kafka, topicPrefix, partitions, replicationFactor);
    }

    public StreamsSettings withProcessingGuarantee(String guarantee) {
        return new StreamsSettings(bootstrapServers, applicationId, guarantee, commitInterval, numStreamThreads,
                stateDir, kafka, topicPrefix, partitions, replicationFactor);
    }

    public StreamsSettings withStateDir(Path dir) {
        return new StreamsSettings(bootstrapServers, applicationId, processingGuarantee, commitInterval,
                numStreamThreads, dir, kafka, topicPrefix, partitions, replicationFactor);
    }

    public StreamsSettings withTopicPrefix(String prefix) {
        return new StreamsSettings(bootstrapServers, applicationId, processingGuarantee, commitInterval,
                numStreamThreads, stateDir, kafka, prefix, partitions, replicationFactor);
    }

    public StreamsSettings withKafka(Map<String, String> props) {
        return new StreamsSettings(bootstrapServers, applicationId, processingGuarantee, commitInterval,
                numStreamThreads, stateDir, props, topicPrefix, partitions, replicationFactor);
    }

    public StreamsSettings withPartitions(int n) {
        return new StreamsSettings(bootstrapServers, applicationId, processingGuarantee, commitInterval,
                numStreamThreads, stateDir, kafka, topicPrefix, n, replicationFactor);
    }

    public StreamsSettings withCommitInterval(Duration d) {
        return new StreamsSettings(bootstrapServers, applicationId, processingGuarantee, d, numStreamThreads,
                stateDir, kafka, topicPrefix, partitions, replicationFactor);
    }

    /** The topic catalogue under {@link #topicPrefix}. */
    public Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }
}
