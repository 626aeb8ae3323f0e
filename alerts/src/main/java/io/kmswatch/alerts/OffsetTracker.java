package io.kmswatch.alerts;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of {@code kms-alerts} may be committed. Each consumed record gets a {@link Ticket}
 * that its sinks settle, each once (accepted, or dead letter acknowledged). A partition's commit
 * point is its lowest consumed offset not yet settled on every sink, or one past the last consumed
 * offset when all are: so a commit never passes an alert that some sink has not settled, whatever
 * order the sinks finish in. Offsets need not be contiguous (transaction markers leave gaps).
 *
 * <p>When a partition is {@linkplain #revoked revoked} it is forgotten: tickets of its records that
 * settle later are ignored (the new owner delivers those records again), even if the partition is
 * assigned back meanwhile. {@link #settle} may be called from any thread; everything else from the
 * consumer's thread only.
 */
final class OffsetTracker {
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private final ConcurrentLinkedQueue<Ticket> settled = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** One consumed record, waiting on the sinks it was handed to. */
    static final class Ticket {
        private final Partition owner;
        private final long offset;
        private final AtomicInteger remaining;

        private Ticket(Partition owner, long offset, int sinks) {
            this.owner = owner;
            this.offset = offset;
            this.remaining = new AtomicInteger(sinks);
        }

        long offset() {
            return offset;
        }
    }

    /**
     * Records that {@code offset} of {@code tp} was consumed and handed to {@code sinks} sinks; with
     * none, it is settled at once.
     *
     * @throws IllegalArgumentException when {@code sinks} is negative
     */
    Ticket consumed(TopicPartition tp, long offset, int sinks) {
        if (sinks < 0) {
            throw new IllegalArgumentException("sinks must be ≥ 0: " + sinks);
        }
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        p.add(offset);
        Ticket t = new Ticket(p, offset, sinks);
        if (sinks == 0) {
            p.settle(offset);
        } else {
            inFlight.incrementAndGet();
        }
        return t;
    }

    /** One sink is done with the ticket's record; any thread. Extra calls are ignored. */
    void settle(Ticket t) {
        int left = t.remaining.decrementAndGet();
        if (left == 0) {
            inFlight.decrementAndGet();
            settled.add(t);
        }
    }

    /** Records consumed (with sinks) whose tickets have not settled yet, revoked partitions included. */
    int inFlight() {
        return inFlight.get();
    }

    /** The commit points that moved since the last {@link #committed}, by partition. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Ticket t;
        while ((t = settled.poll()) != null) {
            t.owner.settle(t.offset);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long point = p.point();
            if (point > p.committed) {
                commit.put(tp, new OffsetAndMetadata(point));
            }
        });
        return commit;
    }

    /** These commit points are on the broker. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /** Forgets these partitions: the consumer no longer owns them. */
    void revoked(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }

    /** Offsets of one partition consumed and not yet settled. Identity matters: one per ownership. */
    private static final class Partition {
        private final TreeSet<Long> open = new TreeSet<>();
        private long next = -1;
        private long committed = -1;

        void add(long offset) {
            open.add(offset);
            next = Math.max(next, offset + 1);
        }

        void settle(long offset) {
            open.remove(offset);
        }

        long point() {
            return open.isEmpty() ? next : open.first();
        }
    }
}
