package io.kmswatch.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a stage needs, when missing, and waits until every partition can be used.
 *
 * <p>Every stage creates its topics at start, so on a fresh cluster several processes race to create
 * the same topics, and each of them must come out of the race with usable topics. Three things get in
 * the way, all seen on a three-broker KRaft cluster on this kind of machine:
 * <ul>
 *   <li>a topic another process is creating is {@code TopicExists} for this one: that is success;</li>
 *   <li>the controller answers CreateTopics once the topic is in the metadata log, and brokers learn
 *       of it a moment later: a Metadata, DescribeTopics or ListOffsets in between answers
 *       {@code UNKNOWN_TOPIC_OR_PARTITION} (retriable);</li>
 *   <li>even once metadata names a leader, the leader may not have taken the partition yet and
 *       answers {@code NOT_LEADER_OR_FOLLOWER}; an idempotent producer whose first batch is refused
 *       that way while a later one lands gets stuck in {@code OUT_OF_ORDER_SEQUENCE_NUMBER}
 *       retries.</li>
 * </ul>
 * So a topic is ready when every partition's leader has answered a ListOffsets; retriable errors are
 * retried until the deadline, and anything else (a bad config, a refused authorisation) fails at once.
 */
public final class TopicSetup {
    private static final long PAUSE_MS = 50;

    private TopicSetup() {
    }

    /** Thrown when the topics cannot be created or do not become usable within the deadline. */
    public static final class TopicSetupException extends RuntimeException {
        TopicSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Creates whichever of {@code wanted} is missing (existing topics are left as they are) and waits
     * until every partition of every wanted topic has a leader that answers.
     *
     * @return the description of each wanted topic, by name
     * @throws TopicSetupException when a creation is refused for a non-retriable reason, or the topics
     *                             are not ready within {@code timeout}
     */
    public static Map<String, TopicDescription> ensure(Admin admin, List<NewTopic> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> names = wanted.stream().map(NewTopic::name).toList();
        Throwable last = null;
        try {
            List<NewTopic> pending = new ArrayList<>(wanted);
            while (!pending.isEmpty()) {
                try {
                    Set<String> existing = admin.listTopics().names().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                    pending.removeIf(t -> existing.contains(t.name()));
                    if (pending.isEmpty()) {
                        break;
                    }
                    Map<String, KafkaFuture<Void>> created = admin.createTopics(pending).values();
                    List<NewTopic> retry = new ArrayList<>();
                    for (NewTopic t : pending) {
                        try {
                            created.get(t.name()).get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof TopicExistsException) {
                                continue;
                            }
                            if (!(e.getCause() instanceof RetriableException)) {
                                throw new TopicSetupException("cannot create topic " + t.name() + ": " + e.getCause(), e.getCause());
                            }
                            last = e.getCause();
                            retry.add(t);
                        }
                    }
                    pending = retry;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new TopicSetupException("cannot list topics: " + e.getCause(), e.getCause());
                    }
                    last = e.getCause();
                }
                if (!pending.isEmpty()) {
                    pause(deadline, names, last);
                }
            }
            while (true) {
                try {
                    Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames()
                            .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                    if (d.values().stream().flatMap(t -> t.partitions().stream())
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        d.values().forEach(t -> t.partitions().forEach(p ->
                                latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
                        admin.listOffsets(latest).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                        return d;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new TopicSetupException("cannot describe topics " + names + ": " + e.getCause(), e.getCause());
                    }
                    last = e.getCause();
                }
                pause(deadline, names, last);
            }
        } catch (TimeoutException e) {
            throw timedOut(names, last != null ? last : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicSetupException("interrupted while creating topics " + names, e);
        }
    }

    private static long remainingMs(long deadline) throws TimeoutException {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) {
            throw new TimeoutException();
        }
        return ms;
    }

    private static void pause(long deadline, List<String> names, Throwable last) throws InterruptedException {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_MS) > deadline) {
            throw timedOut(names, last);
        }
        Thread.sleep(PAUSE_MS);
    }

    private static TopicSetupException timedOut(List<String> names, Throwable last) {
        String why = last == null || last instanceof TimeoutException ? "" : " (last error: " + last + ")";
        return new TopicSetupException("topics " + names + " not ready in time" + why, last);
    }
}
