package io.kmswatch.bench;

import java.util.Arrays;

/**
 * Repeated measurements of one rate (per second): median, min and max of the runs. These machines are
 * noisy, so a figure is only reported beside a reference measured in the same run.
 */
public record Measurement(String name, double median, double min, double max, int runs) {

    /** Summarises rates from several runs. */
    public static Measurement of(String name, double[] rates) {
        double[] s = rates.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new Measurement(name, median, s[0], s[s.length - 1], s.length);
    }

    /** This median divided by the reference's median. */
    public double ratioTo(Measurement reference) {
        return median / reference.median;
    }
}
