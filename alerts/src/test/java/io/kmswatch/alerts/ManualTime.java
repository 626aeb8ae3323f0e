package io.kmswatch.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Time for unit tests: a {@link Clock} that stands still until the test moves it, and
 * {@link DeliveryScheduler}s whose tasks run on the test's thread when {@link #advance} reaches
 * their time, in time order (ties in the order given). Several schedulers share one timeline, so
 * two sink workers interleave as they would in real time. Not thread-safe: one test thread.
 */
final class ManualTime {
    private record Entry(Instant at, long seq, View owner, Runnable task) {
    }

    private final PriorityQueue<Entry> tasks = new PriorityQueue<>(
            Comparator.comparing(Entry::at).thenComparingLong(Entry::seq));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private Instant now;
    private long seq;

    ManualTime(Instant start) {
        this.now = start;
    }

    Clock clock() {
        return clock;
    }

    Instant now() {
        return now;
    }

    /** A scheduler on this timeline; its {@link DeliveryScheduler#shutdown} drops only its own tasks. */
    DeliveryScheduler scheduler() {
        return new View();
    }

    /** Time passing inside a running task (an attempt that takes this long); runs nothing. */
    void elapse(Duration d) {
        requireNotNegative(d);
        now = now.plus(d);
    }

    /** Moves the clock on by {@code d}, running every task that falls due on the way, at its time. */
    void advance(Duration d) {
        requireNotNegative(d);
        Instant target = now.plus(d);
        while (!tasks.isEmpty() && !tasks.peek().at().isAfter(target)) {
            Entry e = tasks.poll();
            if (e.at().isAfter(now)) {
                now = e.at();
            }
            if (!e.owner().shut) {
                e.task().run();
            }
        }
        if (target.isAfter(now)) {
            now = target;
        }
    }

    /** Runs the tasks due now (and those they make due now). */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Runs tasks in time order until none is left, moving the clock at most {@code bound}. */
    void runUntilIdle(Duration bound) {
        Instant limit = now.plus(bound);
        while (!tasks.isEmpty() && !tasks.peek().at().isAfter(limit)) {
            advance(Duration.between(now, tasks.peek().at().isBefore(now) ? now : tasks.peek().at()));
        }
    }

    /** When the next task is due, if any. */
    Optional<Instant> nextDue() {
        return tasks.stream().filter(e -> !e.owner().shut).map(Entry::at).min(Comparator.naturalOrder());
    }

    private static void requireNotNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + d);
        }
    }

    private final class View implements DeliveryScheduler {
        private boolean shut;

        @Override
        public void execute(Runnable task) {
            schedule(task, Duration.ZERO);
        }

        @Override
        public void schedule(Runnable task, Duration delay) {
            if (!shut) {
                tasks.add(new Entry(now.plus(delay), seq++, this, task));
            }
        }

        @Override
        public void shutdown() {
            shut = true;
        }

        @Override
        public boolean awaitTermination(Duration bound) {
            return true;
        }
    }
}
