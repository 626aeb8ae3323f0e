package io.kmswatch.emulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The emulator's clock: starts at {@code start} and runs {@code speed} times faster than real time
 * ({@code speed = 10080} passes a week per real minute). Event times, rotation dates, deletion dates and trail
 * file rolling all follow it. Thread-safe and monotonic (it is derived from {@link System#nanoTime()}).
 */
public final class EmulatorClock extends Clock {
    private final Instant start;
    private final long startNanos;
    private final double speed;

    public EmulatorClock(Instant start, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0");
        }
        this.start = start;
        this.startNanos = System.nanoTime();
        this.speed = speed;
    }

    /** Real time at speed 1. */
    public static EmulatorClock realTime() {
        return new EmulatorClock(Instant.now(), 1.0);
    }

    /** The emulator time this clock started at. */
    public Instant start() {
        return start;
    }

    public double speed() {
        return speed;
    }

    @Override
    public Instant instant() {
        long elapsed = System.nanoTime() - startNanos;
        return start.plusNanos(speed == 1.0 ? elapsed : (long) (elapsed * speed));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "EmulatorClock[start=" + start + ", speed=" + speed + "]";
    }
}
