package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The calls one injection of a {@link Scenario} makes, each at a fraction of its window, plus what its label
 * names: the key (by alias) and the principal (by name) involved.
 */
final class ScenarioPlan {
    private final Scenario scenario;
    private final int index;
    private final Instant start;
    private final Duration window;
    private final Random random;
    private final TrafficWorld world;
    private final double backgroundCallsPerSecond;
    private final List<Timed> steps = new ArrayList<>();
    private String keyAlias;
    private String principal;
    private String account;

    ScenarioPlan(Scenario scenario, int index, Instant start, Duration window, long seed, TrafficWorld world,
                 double backgroundCallsPerSecond) {
        // backgroundCallsPerSecond: the background's rate at the start of the window (the shape applied)
        this.scenario = scenario;
        this.index = index;
        this.start = start;
        this.window = window;
        this.random = new Random(seed * 1_000_003L + index * 7919L + scenario.type().hashCode());
        this.world = world;
        this.backgroundCallsPerSecond = backgroundCallsPerSecond;
    }

    /** A call at a fraction (0 to 1) of the window. */
    public void at(double fraction, Consumer<TrafficContext> step) {
        double f = Math.max(0, Math.min(1, fraction));
        steps.add(new Timed(start.plusNanos((long) (window.toNanos() * f)), step));
    }

    /** {@code count} calls spread evenly between two fractions of the window. */
    public void spread(int count, double from, double to, Consumer<TrafficContext> step) {
        for (int i = 0; i < count; i++) {
            at(from + (to - from) * (count == 1 ? 0 : (double) i / (count - 1)), step);
        }
    }

    /** Names the key (alias without {@code alias/}) and principal (world name) the label reports. */
    public void subject(String keyAlias, String principal) {
        this.keyAlias = keyAlias;
        this.principal = principal;
    }

    /** The account the label names, when it is not the key's account. */
    public void account(String accountId) {
        this.account = accountId;
    }

    /** Random choices of this injection (e.g. cancel the deletion or not), from the seed. */
    public Random random() {
        return random;
    }

    public TrafficWorld world() {
        return world;
    }

    /** Which injection this is (0, 1, …): keys a scenario creates are named with it so repeats do not collide. */
    public int index() {
        return index;
    }

    public Duration window() {
        return window;
    }

    /** The fraction of the window that {@code span} takes, at most 1. */
    public double fraction(Duration span) {
        return Math.min(1.0, (double) span.toNanos() / window.toNanos());
    }

    /**
     * How many background calls of one application fall in the window on average (an application's share of
     * the background rate): what "normal" is for a spike.
     */
    public double normalCalls(String application) {
        return normalCalls(application, window);
    }

    /** As {@link #normalCalls(String)}, over a span of emulator time instead of the whole window. */
    public double normalCalls(String application, Duration span) {
        double total = world.profile().applications().stream().mapToDouble(TrafficProfile.Application::weight).sum();
        double weight = world.profile().applications().stream().filter(a -> a.name().equals(application))
                .mapToDouble(TrafficProfile.Application::weight).sum();
        return total == 0 ? 0 : backgroundCallsPerSecond * span.toSeconds() * weight / total;
    }

    Scenario scenario() {
        return scenario;
    }

    Instant start() {
        return start;
    }

    Instant end() {
        return start.plus(window);
    }

    List<Timed> steps() {
        return List.copyOf(steps);
    }

    String keyAlias() {
        return keyAlias;
    }

    String principal() {
        return principal;
    }

    String account() {
        return account;
    }

    /** A step and when it runs. */
    record Timed(Instant at, Consumer<TrafficContext> step) {
    }
}
