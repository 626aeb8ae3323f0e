package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.traffic.TrafficProfile.Application;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The background: arrivals of application work units in emulator time, a Poisson process whose rate follows
 * the {@link DailyShape}; each arrival is one application chosen by weight. Deterministic for a seed.
 */
final class Background {
    private final List<Application> applications;
    private final double[] cumulative;
    private final double peakPerSecond;
    private final Instant end;
    private final Random random;
    private Instant next;

    /**
     * @param peakPerSecond work units per emulator second at the daily peak
     */
    Background(TrafficProfile profile, long seed, double peakPerSecond, Instant start, Instant end) {
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
        advance();
    }

    /** The time of the next arrival, or null when the run is over. */
    Instant peek() {
        return next;
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
        advance();
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
