package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.traffic.TrafficProfile.Application;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The background: arrivals of application work units in emulator time; each arrival is one application chosen by
 * weight. Deterministic for a seed. In the {@link TrafficShape#DAILY daily} shape the arrivals are a Poisson process
 * whose rate follows the {@link DailyShape}. In the {@link TrafficShape#FLAT flat} shape the next unit is due when
 * the calls made so far are: at {@code start + calls / rate}, counting every call the generator made since the start
 * (and each unit as at least one call), so that calls made per interval hold the rate whatever each unit makes.
 */
final class Background {
    private final List<Application> applications;
    private final double[] cumulative;
    private final double peakPerSecond;
    private final Instant end;
    private final Random random;
    private final Instant start;
    /** Flat shape: the generator's call count; null in the daily shape. */
    private final LongSupplier calls;
    private final long callsAtStart;
    private long units;
    private Instant next;

    /**
     * @param peakPerSecond work units per emulator second at the daily peak
     */
    Background(TrafficProfile profile, long seed, double peakPerSecond, Instant start, Instant end) {
        this(profile, seed, peakPerSecond, start, end, null);
    }

    /**
     * The flat shape.
     *
     * @param callsPerSecond calls per emulator second
     * @param calls          the number of calls the generator has made so far (read at each {@link #peek()})
     */
    static Background flat(TrafficProfile profile, long seed, double callsPerSecond, Instant start, Instant end,
                           LongSupplier calls) {
        return new Background(profile, seed, callsPerSecond, start, end, calls);
    }

    private Background(TrafficProfile profile, long seed, double peakPerSecond, Instant start, Instant end,
                       LongSupplier calls) {
        this.start = start;
        this.calls = calls;
        this.callsAtStart = calls == null ? 0 : calls.getAsLong();
        this.applications = profile.applications();
        this.cumulative = new double[applications.size()];
        double sum = 0;
        for (int i = 0; i < applications.size(); i++) {
            sum += applications.get(i).weight();
            cumulative[i] = sum;
        }
        this.peakPerSecond = peakPerSecond;
        this.end = end;
        this.random = new Random(seed * 31 + 17);
        this.next = start;
        if (calls == null) {
            advance();
        } else if (sum <= 0 || !start.isBefore(end)) {
            next = null; // nothing to run: the flat shape's next arrival is worked out at each peek()
        }
    }

    /** The time of the next arrival, or null when the run is over. */
    Instant peek() {
        if (calls == null || next == null) {
            return next;
        }
        long made = Math.max(calls.getAsLong() - callsAtStart, units);
        Instant due = start.plusNanos((long) (made / peakPerSecond * 1e9));
        return due.isBefore(end) ? due : null;
    }

    /** The application of the next arrival; moves on to the one after. */
    Application take() {
        double total = cumulative[cumulative.length - 1];
        double pick = random.nextDouble() * total;
        Application app = applications.get(applications.size() - 1);
        for (int i = 0; i < cumulative.length; i++) {
            if (pick < cumulative[i]) {
                app = applications.get(i);
                break;
            }
        }
        units++;
        if (calls == null) {
            advance();
        }
        return app;
    }

    private void advance() {
        if (next == null || cumulative.length == 0 || cumulative[cumulative.length - 1] <= 0) {
            next = null;
            return;
        }
        double rate = Math.max(1e-9, peakPerSecond * DailyShape.factor(next));
        double gapSeconds = -Math.log(1 - random.nextDouble()) / rate;
        Instant t = next.plusNanos((long) Math.min(gapSeconds * 1e9, 86_400e9));
        next = t.isBefore(end) ? t : null;
    }
}
