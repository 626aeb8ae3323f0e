package io.kmswatch.app.faults;

import io.kmswatch.app.faults.IncidentFixtures.Incident;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands incidents to a writer one at a time at a steady pace, on its own thread, up to the number
 * the test {@link #allow allows}: traffic that keeps flowing while the test breaks something, and that
 * the test can hold back until the pipeline has caught up with a phase.
 */
final class SteadyTraffic implements AutoCloseable {
    private final AtomicInteger allowed = new AtomicInteger();
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    SteadyTraffic(List<Incident> incidents, Duration interval, Consumer<Incident> writer) {
        thread = new Thread(() -> {
            try {
                for (Incident incident : incidents) {
                    while (allowed.get() <= incident.n()) {
                        Thread.sleep(20);
                    }
                    writer.accept(incident);
                    written.incrementAndGet();
                    Thread.sleep(interval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | AssertionError e) {
                failure.set(e);
            }
        }, "steady-traffic");
        thread.setDaemon(true);
        thread.start();
    }

    /** Lets the writer go on up to (not including) incident {@code n}. */
    void allow(int n) {
        allowed.set(n);
    }

    /**
     * How many incidents have been written.
     *
     * @throws AssertionError when writing failed
     */
    int written() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("writing traffic failed", t);
        }
        return written.get();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
