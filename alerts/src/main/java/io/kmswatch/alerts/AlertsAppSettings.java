package io.kmswatch.alerts;

import io.kmswatch.events.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How an {@link AlertsApp} process runs (as opposed to what it does, {@link AlertsConfig}): where
 * Kafka is, the Streams application id, the processing guarantee, the state directory, the topic
 * prefix, Kafka client settings passed through unchanged, and which halves to run (the alert
 * manager topology and the delivery loop scale separately if wanted).
 *
 * @param bootstrapServers    never null
 * @param applicationId       Streams {@code application.id}; the delivery group is {@code <id>-delivery}
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param stateDir            Streams state directory; null = Kafka's default
 * @param topicPrefix         the topic catalogue's prefix; null = none
 * @param kafka               client settings passed to Streams, the consumer and producers; never null
 * @param runManager          run the alert manager topology
 * @param runDelivery         run the delivery loop
 */
public record AlertsAppSettings(String bootstrapServers, String applicationId, String processingGuarantee,
                                Path stateDir, String topicPrefix, Map<String, String> kafka, boolean runManager,
                                boolean runDelivery) {
    /** The accepted processing guarantees. */
    public static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");

    public AlertsAppSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        applicationId = applicationId == null || applicationId.isBlank() ? "kmswatch-alerts" : applicationId;
        processingGuarantee = processingGuarantee == null ? "exactly_once_v2" : processingGuarantee;
        if (!GUARANTEES.contains(processingGuarantee)) {
            throw new IllegalArgumentException("processing guarantee must be one of " + GUARANTEES
                    + ", not '" + processingGuarantee + "'");
        }
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        if (!runManager && !runDelivery) {
            throw new IllegalArgumentException("an alerts process must run the manager, the delivery, or both");
        }
    }

    /** Both halves, exactly-once, default id and state directory, no prefix. */
    public static AlertsAppSettings of(String bootstrapServers) {
        return new AlertsAppSettings(bootstrapServers, null, null, null, null, null, true, true);
    }

    /** The topic catalogue under {@link #topicPrefix}. */
    public Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /** The delivery loop's consumer group. */
    public String deliveryGroupId() {
        return applicationId + "-delivery";
    }

    public AlertsAppSettings withApplicationId(String id) {
        return new AlertsAppSettings(bootstrapServers, id, processingGuarantee, stateDir, topicPrefix, kafka, runManager,
                runDelivery);
    }

    public AlertsAppSettings withStateDir(Path dir) {
        return new AlertsAppSettings(bootstrapServers, applicationId, processingGuarantee, dir, topicPrefix, kafka,
                runManager, runDelivery);
    }

    public AlertsAppSettings withKafka(Map<String, String> settings) {
        return new AlertsAppSettings(bootstrapServers, applicationId, processingGuarantee, stateDir, topicPrefix,
                settings, runManager, runDelivery);
    }

    public AlertsAppSettings withTopicPrefix(String prefix) {
        return new AlertsAppSettings(bootstrapServers, applicationId, processingGuarantee, stateDir, prefix, kafka,
                runManager, runDelivery);
    }

    /** Only the halves asked for. */
    public AlertsAppSettings running(boolean manager, boolean delivery) {
        return new AlertsAppSettings(bootstrapServers, applicationId, processingGuarantee, stateDir, topicPrefix, kafka,
                manager, delivery);
    }
}
