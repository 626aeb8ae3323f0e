package io.kmswatch.ingest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.kmswatch.events.Topics;
import io.kmswatch.events.config.EnvSubstitution;
import io.kmswatch.events.config.ConfigYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The ingest configuration, bound from YAML:
 *
 * <pre>{@code
 * topicPrefix: ""                      # prefix of every topic name
 * checkpointTopic: kms-ingest-checkpoints
 * createTopics: true                   # create kms-events, kms-events-rejected and the checkpoint topic if missing
 * partitions: 4                        # for topics this module creates
 * replicationFactor: -1                # -1: the broker default
 * kafka:                               # Kafka producer/consumer settings, passed through
 *   bootstrap.servers: localhost:9092
 * sources:
 *   lookup: {regions: [us-east-1], lookBack: 15m, pollInterval: 1m, endpointUrl: http://localhost:4599,
 *            accounts: [{id: "111122223333", profile: prod, assumeRoleArn: "arn:aws:iam::111122223333:role/r"}]}
 *   files:  {paths: [/var/log/cloudtrail], follow: false}
 *   s3:     {buckets: [trail-bucket], prefixes: [""], region: us-east-1}
 * }</pre>
 *
 * <p>{@code ${ENV_VAR}} (or {@code ${ENV_VAR:-default}}) anywhere in the file is replaced by the
 * environment variable before parsing ({@link EnvSubstitution}). {@code acks} and {@code enable.idempotence} cannot be
 * weakened: every source needs an idempotent producer with {@code acks=all}.
 *
 * @param topicPrefix       topic name prefix; default empty
 * @param checkpointTopic   compacted topic holding source checkpoints (prefix applied); default
 *                          {@code kms-ingest-checkpoints}
 * @param createTopics      create missing topics at start; default true
 * @param partitions        partitions of created topics; default 4
 * @param replicationFactor replication of created topics; default -1 (broker default)
 * @param kafka             Kafka client settings, passed through unchanged; never null
 * @param sources           the sources; never null
 */
public record IngestConfig(String topicPrefix, String checkpointTopic, Boolean createTopics, Integer partitions,
                           Short replicationFactor, Map<String, String> kafka, SourcesConfig sources) {
    public IngestConfig {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Topics.withPrefix(topicPrefix); // validates the prefix characters
        checkpointTopic = checkpointTopic == null ? "kms-ingest-checkpoints" : checkpointTopic;
        if (!checkpointTopic.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("checkpointTopic '" + checkpointTopic
                    + "' may only hold letters, digits, '.', '_' and '-'");
        }
        createTopics = createTopics == null || createTopics;
        partitions = partitions == null ? 4 : partitions;
        replicationFactor = replicationFactor == null ? (short) -1 : replicationFactor;
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        String acks = kafka.get("acks");
        if (acks != null && !acks.equals("all") && !acks.equals("-1")) {
            throw new IllegalArgumentException("kafka.acks=" + acks + " is not allowed: ingest needs acks=all so an"
                    + " acknowledged record is never lost");
        }
        if ("false".equalsIgnoreCase(kafka.get("enable.idempotence"))) {
            throw new IllegalArgumentException("kafka.enable.idempotence=false is not allowed: retries must not"
                    + " duplicate or reorder records");
        }
        sources = sources == null ? SourcesConfig.none() : sources;
    }

    /** A configuration with only Kafka settings and the given sources, defaults elsewhere. */
    public static IngestConfig of(Map<String, String> kafka, SourcesConfig sources) {
        return new IngestConfig(null, null, null, null, null, kafka, sources);
    }

    /** The topic catalogue with this configuration's prefix. */
    public Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /** The checkpoint topic's full name. */
    public String checkpointTopicName() {
        return topicPrefix + checkpointTopic;
    }

    /** A copy with other sources. */
    public IngestConfig withSources(SourcesConfig s) {
        return new IngestConfig(topicPrefix, checkpointTopic, createTopics, partitions, replicationFactor, kafka, s);
    }

    /** A copy whose Kafka settings are these settings overlaid with {@code overrides}. */
    public IngestConfig withKafka(Map<String, ?> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(kafka);
        overrides.forEach((k, v) -> merged.put(k, String.valueOf(v)));
        return new IngestConfig(topicPrefix, checkpointTopic, createTopics, partitions, replicationFactor, merged,
                sources);
    }

    /**
     * Reads a YAML file, substituting {@code ${ENV_VAR}} from the environment.
     *
     * @throws IngestException naming the file and what is wrong
     */
    public static IngestConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IngestException("cannot read ingest config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, System::getenv, file.toString());
    }

    /**
     * Parses YAML text.
     *
     * @param env    looks up environment variables for {@code ${VAR}}
     * @param source names the text in error messages
     * @throws IngestException naming the source and what is wrong
     */
    public static IngestConfig parse(String yaml, Function<String, String> env, String source) {
        String text;
        try {
            text = EnvSubstitution.apply(yaml, env);
        } catch (IllegalArgumentException e) {
            throw new IngestException("invalid ingest config " + source + ": " + e.getMessage(), e);
        }
        try {
            IngestConfig c = mapper().readValue(text, IngestConfig.class);
            return c == null ? IngestConfig.of(Map.of(), null) : c;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IngestException("invalid ingest config " + source + ": " + cause.getMessage(), e);
        } catch (JsonMappingException e) {
            throw new IngestException("invalid ingest config " + source + " at " + path(e) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IngestException("cannot parse ingest config " + source + ": " + e.getMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "top level" : b.toString();
    }

    private static ObjectMapper mapper() {
        return ConfigYaml.mapper();
    }
}
