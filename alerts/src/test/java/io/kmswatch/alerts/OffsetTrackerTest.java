package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("kms-alerts", 0);
    private static final TopicPartition P1 = new TopicPartition("kms-alerts", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void shouldCommitOnlyUpToTheFirstOffsetNotSettledOnEverySink() {
        List<OffsetTracker.Ticket> t = new ArrayList<>();
        for (long o = 0; o < 5; o++) {
            t.add(tracker.consumed(P0, o, 1));
        }
        tracker.settle(t.get(1));
        tracker.settle(t.get(2));

        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 0L));
        tracker.settle(t.get(0));
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 3L));
        tracker.settle(t.get(4));
        assertThat(commitAndAck()).as("3 still open").isEmpty();
        tracker.settle(t.get(3));
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 5L));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void shouldWaitForEverySinkOfARecord() {
        OffsetTracker.Ticket t = tracker.consumed(P0, 0, 3);
        commitAndAck();

        tracker.settle(t);
        tracker.settle(t);
        assertThat(tracker.toCommit()).isEmpty();
        assertThat(tracker.inFlight()).isEqualTo(1);
        tracker.settle(t);
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 1L));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void shouldSettleARecordWithNoSinksAtOnceAndNotCountItInFlight() {
        tracker.consumed(P0, 0, 0);
        OffsetTracker.Ticket routed = tracker.consumed(P0, 1, 1);
        tracker.consumed(P0, 2, 0);

        assertThat(tracker.inFlight()).isEqualTo(1);
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 1L));
        tracker.settle(routed);
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 3L));
    }

    @Test
    void shouldCommitPastGapsInOffsetsLeftByTransactionMarkers() {
        // read_committed: a transactional producer's commit markers take offsets no record has.
        OffsetTracker.Ticket a = tracker.consumed(P0, 0, 1);
        OffsetTracker.Ticket b = tracker.consumed(P0, 2, 1);
        OffsetTracker.Ticket c = tracker.consumed(P0, 5, 1);
        tracker.settle(a);
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 2L));
        tracker.settle(c);
        assertThat(commitAndAck()).isEmpty();
        tracker.settle(b);
        assertThat(commitAndAck()).containsExactly(Map.entry(P0, 6L));
    }

    @Test
    void shouldTrackPartitionsApartAndNotRepeatACommittedPoint() {
        OffsetTracker.Ticket a = tracker.consumed(P0, 10, 1);
        OffsetTracker.Ticket b = tracker.consumed(P1, 20, 1);
        tracker.settle(b);

        assertThat(commitAndAck()).containsOnly(Map.entry(P0, 10L), Map.entry(P1, 21L));
        assertThat(tracker.toCommit()).isEmpty();
        tracker.settle(a);
        assertThat(commitAndAck()).containsOnly(Map.entry(P0, 11L));
    }

    @Test
    void shouldOfferTheSamePointAgainWhenACommitFailed() {
        tracker.settle(tracker.consumed(P0, 0, 1));

        assertThat(tracker.toCommit()).containsOnlyKeys(P0);
        // commitSync threw: committed() is not called, and the next round tries again.
        assertThat(tracker.toCommit()).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void shouldIgnoreSettlementsOfARevokedPartitionEvenWhenItIsAssignedBack() {
        OffsetTracker.Ticket old0 = tracker.consumed(P0, 0, 1);
        OffsetTracker.Ticket old1 = tracker.consumed(P0, 1, 1);
        OffsetTracker.Ticket other = tracker.consumed(P1, 0, 1);
        tracker.settle(old0);
        assertThat(commitAndAck()).containsOnly(Map.entry(P0, 1L), Map.entry(P1, 0L));

        tracker.revoked(List.of(P0));
        // Assigned back: consumption restarts at the committed offset, 1, and 1 is delivered again.
        OffsetTracker.Ticket again1 = tracker.consumed(P0, 1, 1);
        OffsetTracker.Ticket again2 = tracker.consumed(P0, 2, 1);
        tracker.settle(old1);
        tracker.settle(again2);
        assertThat(tracker.toCommit()).as("the old delivery of 1 does not settle the new one")
                .containsOnly(Map.entry(P0, new OffsetAndMetadata(1)));

        tracker.settle(again1);
        tracker.settle(other);
        assertThat(commitAndAck()).containsOnly(Map.entry(P0, 3L), Map.entry(P1, 1L));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void shouldForgetARevokedPartitionsCommitPoint() {
        tracker.settle(tracker.consumed(P0, 7, 1));
        commitAndAck();
        tracker.revoked(List.of(P0));

        assertThat(tracker.toCommit()).isEmpty();
        tracker.settle(tracker.consumed(P0, 8, 1));
        assertThat(tracker.toCommit()).containsOnly(Map.entry(P0, new OffsetAndMetadata(9)));
    }

    @Test
    void shouldRejectANegativeNumberOfSinks() {
        assertThatThrownBy(() -> tracker.consumed(P0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Whatever order the sinks settle in, the commit point is the first offset not yet settled. */
    @Property(tries = 200)
    void shouldNeverCommitPastAnUnsettledOffset(@ForAll @IntRange(min = 1, max = 40) int records,
                                                @ForAll @IntRange(min = 1, max = 3) int sinks,
                                                @ForAll long seed) {
        OffsetTracker t = new OffsetTracker();
        List<OffsetTracker.Ticket> settlements = new ArrayList<>();
        for (long o = 0; o < records; o++) {
            OffsetTracker.Ticket ticket = t.consumed(P0, 100 + o * 2, sinks);
            for (int s = 0; s < sinks; s++) {
                settlements.add(ticket);
            }
        }
        Collections.shuffle(settlements, new Random(seed));
        Map<OffsetTracker.Ticket, Integer> left = new java.util.HashMap<>();
        TreeSet<Long> open = new TreeSet<>();
        settlements.forEach(x -> {
            left.merge(x, 1, Integer::sum);
            open.add(x.offset());
        });
        long last = -1;
        for (OffsetTracker.Ticket x : settlements) {
            t.settle(x);
            if (left.merge(x, -1, Integer::sum) == 0) {
                open.remove(x.offset());
            }
            Map<TopicPartition, OffsetAndMetadata> commit = t.toCommit();
            long expected = open.isEmpty() ? 100 + (records - 1) * 2L + 1 : open.first();
            if (expected > last) {
                assertThat(commit).containsOnly(Map.entry(P0, new OffsetAndMetadata(expected)));
                t.committed(commit);
                last = expected;
            } else {
                assertThat(commit).isEmpty();
            }
        }
        assertThat(last).isEqualTo(100 + (records - 1) * 2L + 1);
        assertThat(t.inFlight()).isZero();
    }

    /** Takes the commit points on offer as committed; returns them as offsets. */
    private Map<TopicPartition, Long> commitAndAck() {
        Map<TopicPartition, OffsetAndMetadata> c = tracker.toCommit();
        tracker.committed(c);
        Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
        c.forEach((tp, o) -> offsets.put(tp, o.offset()));
        return offsets;
    }
}
