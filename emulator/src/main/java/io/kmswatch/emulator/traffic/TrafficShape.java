package io.kmswatch.emulator.traffic;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.time.Instant;

/**
 * How the background traffic's rate is held over time ({@code shape:} in a traffic config, {@code --shape} on the
 * command line).
 */
public enum TrafficShape {
    /**
     * Human-driven traffic: work units (one to three calls each) arrive as a Poisson process whose rate is
     * {@code rate} at the daily peak and follows the working-day and weekly curve of {@link DailyShape} below it.
     */
    DAILY,
    /**
     * A fixed load: the generator makes exactly {@code rate} calls per real second, counting every call it makes
     * (background and scenario steps); the next unit of work starts when the calls made so far are due. For
     * benchmarks and soaks, where the load must not depend on the emulator's time of day.
     */
    FLAT;

    /**
     * The shape named, in any case.
     *
     * @throws IllegalArgumentException for another name
     */
    @JsonCreator
    public static TrafficShape of(String value) {
        for (TrafficShape s : values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("traffic shape must be daily or flat, not '" + value + "'");
    }

    /** The share of the configured rate at emulator time {@code t}, in (0, 1]. */
    double factor(Instant t) {
        return this == DAILY ? DailyShape.factor(t) : 1.0;
    }
}
