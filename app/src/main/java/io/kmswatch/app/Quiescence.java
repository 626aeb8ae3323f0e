package io.kmswatch.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until consumer groups have committed everything on their input topics: how a replay knows the
 * pipeline has finished with the input, without guessing with sleeps.
 */
final class Quiescence {
    private final Admin admin;

    Quiescence(Admin admin) {
        this.admin = admin;
    }

    /** One group reading one topic. */
    record Stage(String groupId, String topic) {
    }

    /**
     * Waits until every stage's committed offsets reach the end of its topic, stage by stage, and stay
     * there for {@code stableFor}.
     *
     * @throws TimeoutException when a stage has not caught up within {@code timeout}
     */
    void await(List<Stage> stages, Duration stableFor, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Stage stage : stages) {
            long caughtUpSince = -1;
            while (true) {
                long lag = lag(stage);
                long now = System.nanoTime();
                if (lag == 0) {
                    if (caughtUpSince < 0) {
                        caughtUpSince = now;
                    } else if (now - caughtUpSince >= stableFor.toNanos()) {
                        break;
                    }
                } else {
                    caughtUpSince = -1;
                }
                if (now > deadline) {
                    throw new TimeoutException(stage.groupId() + " still has " + lag + " records to process on " + stage.topic());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Records on the topic not yet committed by the group (the whole topic when it has committed nothing). */
    long lag(Stage stage) throws InterruptedException {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(stage.topic())).allTopicNames().get()
                    .get(stage.topic()).partitions().stream()
                    .map(p -> new TopicPartition(stage.topic(), p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.groupId())
                    .partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp).offset();
                OffsetAndMetadata c = committed.get(tp);
                lag += Math.max(0, end - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the progress of " + stage.groupId() + ": " + e.getCause().getMessage(), e);
        }
    }
}
