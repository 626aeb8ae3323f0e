package io.kmswatch.ingest;

import io.kmswatch.events.TopicSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the topics ingest writes, when missing: {@code kms-events} and {@code kms-events-rejected}
 * with no time-based retention and any timestamp accepted (record timestamps are CloudTrail event
 * times, years old on a replay and ahead of the wall clock under the emulator's fast clock; with
 * the default 7-day retention a replay's segments would be deleted at once), and the checkpoint
 * topic, compacted.
 */
public final class IngestTopics {
    private IngestTopics() {
    }

    /**
     * Creates whichever of the three topics is missing; existing topics are left as they are.
     *
     * @throws IngestException when the cluster cannot be reached or refuses the creation
     */
    public static void ensure(IngestConfig config, Map<String, ?> kafka) {
        Map<String, Object> a = new LinkedHashMap<>();
        kafka.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                a.put(k, v);
            }
        });
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "kmswatch-ingest-admin");
        Optional<Integer> partitions = Optional.of(config.partitions());
        Optional<Short> rf = Optional.of(config.replicationFactor());
        Map<String, String> eventConfigs = Map.of(
                "retention.ms", "-1",
                "message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE),
                "message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(config.topics().kmsEvents().name(), partitions, rf).configs(eventConfigs));
        wanted.add(new NewTopic(config.topics().kmsEventsRejected().name(), partitions, rf).configs(eventConfigs));
        wanted.add(new NewTopic(config.checkpointTopicName(), Optional.of(1), rf).configs(Map.of(
                "cleanup.policy", "compact",
                "max.message.bytes", String.valueOf(8 * 1024 * 1024))));
        try (Admin admin = Admin.create(a)) {
            TopicSetup.ensure(admin, wanted, Duration.ofSeconds(60));
        } catch (TopicSetup.TopicSetupException e) {
            throw new IngestException("cannot create ingest topics " + wanted.stream().map(NewTopic::name).toList()
                    + ": " + e.getMessage(), e);
        }
    }
}
