package io.kmswatch.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a long-lived command until Ctrl-C (SIGINT/SIGTERM) or an optional duration, then closes what
 * it started in reverse order, quietly: a user who presses Ctrl-C sees no stack trace.
 */
final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;

    Lifecycle() {
        hook = new Thread(() -> {
            signalled = true;
            stop.countDown();
            try {
                // let the main thread close everything; give it a bounded time
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kmswatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers something to close at the end (closed last-registered first). */
    <T extends AutoCloseable> T manage(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Asks the waiting thread to stop (from another thread). */
    void requestStop() {
        stop.countDown();
    }

    /** Waits for Ctrl-C, {@link #requestStop}, or the duration (null = forever). */
    void await(Duration duration) throws InterruptedException {
        if (duration == null) {
            stop.await();
        } else {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Waits with a periodic callback (status lines). */
    void await(Duration duration, Duration every, Runnable tick) throws InterruptedException {
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (stop.await(Math.min(left, every.toNanos()), TimeUnit.NANOSECONDS)) {
                return;
            }
            if (end - System.nanoTime() > 0) {
                tick.run();
            }
        }
    }

    boolean signalled() {
        return signalled;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
        closed.countDown();
        if (!signalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }
}
