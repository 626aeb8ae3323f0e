package io.kmswatch.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

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
     * The controller answers CreateTopics once the topic is in the metadata log; brokers learn of
     * it a moment later, and a client asking in between finds no partitions. Even once metadata names
     * a leader, the leader may not have taken the partition yet and answers NOT_LEADER_OR_FOLLOWER;
     * an idempotent producer whose first batch is refused that way while a later one lands gets
     * stuck in OUT_OF_ORDER_SEQUENCE_NUMBER retries (seen on this machine). So readiness is a
     * ListOffsets answered by every partition's leader.
     */
    private static void awaitLeaders(Admin admin, List<String> names)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                if (d.values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    d.values().forEach(t -> t.partitions().forEach(p ->
                            latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException e) {
                // unknown topic until the broker has the new metadata
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no leaders yet for " + names);
            }
            Thread.sleep(50);
        }
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
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while creating ingest topics", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IngestException("cannot create ingest topics " + wanted.stream().map(NewTopic::name).toList()
                    + ": " + cause, cause);
        }
    }
}
