package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Settings of one traffic run, bound from YAML (keys are the component names) or built by {@code kmswatch traffic}.
 *
 * <pre>
 * seed: 42                    # same seed, same world, same calls
 * rate: 20                    # background calls per real second (at the daily peak; exactly, when flat)
 * shape: daily               # daily: follow the working day and week; flat: exactly rate calls per real second
 * duration: PT1H              # emulator time to cover
 * clockSpeed: 60              # emulator seconds per real second (in-process emulator; must match a remote one)
 * clockStart: 2026-03-02T08:00:00Z   # emulator time the run starts (in-process emulator); absent = fixed default
 * endpoint: http://127.0.0.1:4599    # absent = start an in-process emulator
 * scenarios: [all]            # or names, e.g. [decrypt-spike, key-disabled-cleanup]; empty = background only
 * incidentEvery: PT10M        # absent = each chosen scenario once, spread over the run
 * profile: world.yaml         # absent = the built-in organisation
 * labels: labels.jsonl        # ground-truth labels, one JSON object per line
 * </pre>
 *
 * @param seed          seeds the world and every random choice
 * @param rate          background calls per real second, &gt; 0: at the daily peak in the daily shape; every call
 *                      the generator makes, exactly, in the flat shape
 * @param duration      emulator time covered by the run, &gt; 0
 * @param clockSpeed    emulator seconds per real second, &gt; 0
 * @param clockStart    emulator start time for an in-process emulator; null = 2026-03-02T08:00:00Z (a Monday)
 * @param endpoint      the emulator to drive; null = start one in-process
 * @param scenarios     scenario names, or {@code all}; never null (empty = none)
 * @param incidentEvery how often to inject the next scenario; null = spread the chosen ones once over the run
 * @param profile       YAML world description; null = {@link TrafficProfile#defaults()}
 * @param labels        where the JSONL labels go; never null
 * @param shape         how the rate is held over time; null = {@link TrafficShape#DAILY}
 */
public record TrafficConfig(Long seed, Double rate, Duration duration, Double clockSpeed, Instant clockStart,
                            URI endpoint, List<String> scenarios, Duration incidentEvery, Path profile, Path labels,
                            TrafficShape shape) {

    /** Monday 08:00 UTC, so a default run starts at the beginning of a working week. */
    public static final Instant DEFAULT_START = Instant.parse("2026-03-02T08:00:00Z");

    public TrafficConfig {
        seed = seed == null ? 1L : seed;
        rate = rate == null ? 20.0 : rate;
        if (!(rate > 0) || rate > 10_000) {
            throw new EmulatorException("traffic rate must be > 0 and <= 10000 calls per second: " + rate);
        }
        duration = duration == null ? Duration.ofHours(1) : duration;
        if (duration.isZero() || duration.isNegative()) {
            throw new EmulatorException("traffic duration must be positive: " + duration);
        }
        clockSpeed = clockSpeed == null ? 60.0 : clockSpeed;
        if (!(clockSpeed > 0) || clockSpeed > 1_000_000) {
            throw new EmulatorException("clockSpeed must be > 0 and <= 1000000: " + clockSpeed);
        }
        clockStart = clockStart == null ? DEFAULT_START : clockStart;
        scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
        if (incidentEvery != null && (incidentEvery.isZero() || incidentEvery.isNegative())) {
            throw new EmulatorException("incidentEvery must be positive: " + incidentEvery);
        }
        labels = labels == null ? Path.of("labels.jsonl") : labels;
        shape = shape == null ? TrafficShape.DAILY : shape;
        if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new EmulatorException("endpoint must be an http(s) URL: " + endpoint);
        }
    }

    /** The daily shape. */
    public TrafficConfig(Long seed, Double rate, Duration duration, Double clockSpeed, Instant clockStart,
                         URI endpoint, List<String> scenarios, Duration incidentEvery, Path profile, Path labels) {
        this(seed, rate, duration, clockSpeed, clockStart, endpoint, scenarios, incidentEvery, profile, labels, null);
    }

    /** Every default: seed 1, 20 calls/s, one emulator hour at 60x, all scenarios, labels.jsonl. */
    public static TrafficConfig defaults() {
        return new TrafficConfig(null, null, null, null, null, null, List.of("all"), null, null, null);
    }

    /**
     * Reads a YAML file (keys as in the class comment) as every kmswatch configuration file is read
     * ({@link io.kmswatch.events.config.ConfigYaml#read}): {@code ${ENV}} substitution, durations such as {@code 1h}.
     *
     * @throws EmulatorException when it cannot be read or is invalid
     */
    public static TrafficConfig load(Path file) {
        try {
            TrafficConfig c = io.kmswatch.events.config.ConfigYaml.read(java.nio.file.Files.readString(file),
                    System::getenv, TrafficConfig.class);
            return c == null ? defaults() : c;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new EmulatorException("cannot read traffic config " + file + ": " + e.getMessage(), e);
        }
    }

    /** The number of real seconds the run should take. */
    public double realSeconds() {
        return duration.toNanos() / 1e9 / clockSpeed;
    }

    public TrafficConfig withSeed(long s) {
        return new TrafficConfig(s, rate, duration, clockSpeed, clockStart, endpoint, scenarios, incidentEvery, profile, labels, shape);
    }

    public TrafficConfig withScenarios(List<String> s) {
        return new TrafficConfig(seed, rate, duration, clockSpeed, clockStart, endpoint, s, incidentEvery, profile, labels, shape);
    }

    public TrafficConfig withLabels(Path l) {
        return new TrafficConfig(seed, rate, duration, clockSpeed, clockStart, endpoint, scenarios, incidentEvery, profile, l, shape);
    }

    public TrafficConfig withShape(TrafficShape s) {
        return new TrafficConfig(seed, rate, duration, clockSpeed, clockStart, endpoint, scenarios, incidentEvery, profile,
                labels, s);
    }

    public TrafficConfig withEndpoint(URI e) {
        return new TrafficConfig(seed, rate, duration, clockSpeed, clockStart, e, scenarios, incidentEvery, profile, labels, shape);
    }
}
