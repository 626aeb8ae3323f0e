package io.kmswatch.alerts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a sink worker or the dead-letter publisher runs its steps: at once, or after a wait. Tasks
 * run one at a time, in the order they fall due (ties in submission order). Production uses
 * {@link #singleThread}; tests use a scheduler whose clock they advance by hand, so retries,
 * backoff and probes run without real time passing. Tasks given after {@link #shutdown} are
 * dropped.
 */
interface DeliveryScheduler {
    /** Runs {@code task} as soon as possible, after the tasks already due. */
    void execute(Runnable task);

    /** Runs {@code task} once {@code delay} has passed. */
    void schedule(Runnable task, Duration delay);

    /** Drops the waiting tasks and interrupts the running one. */
    void shutdown();

    /** Waits up to {@code bound} for the running task to end; false when it did not. */
    boolean awaitTermination(Duration bound);

    /** One daemon thread named {@code threadName}, on a {@link ScheduledExecutorService}. */
    static DeliveryScheduler singleThread(String threadName) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return new DeliveryScheduler() {
            @Override
            public void execute(Runnable task) {
                schedule(task, Duration.ZERO);
            }

            @Override
            public void schedule(Runnable task, Duration delay) {
                try {
                    executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    // shutdown(): the work is abandoned, and its alert delivered again by the next process.
                }
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }

            @Override
            public boolean awaitTermination(Duration bound) {
                try {
                    return executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
    }
}
