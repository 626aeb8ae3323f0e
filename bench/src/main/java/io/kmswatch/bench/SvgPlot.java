package io.kmswatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as SVG text, for the benchmark figures a reader should see at a glance: one x axis
 * (linear or log10) and one or two series, each on its own y axis (left, right), both starting at zero.
 */
final class SvgPlot {
    private static final int W = 720;
    private static final int H = 400;
    private static final int LEFT = 80;
    private static final int RIGHT = 80;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    /** One series: its name with unit (the axis label) and a y value per x value. */
    record Series(String name, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final double[] x;
    private final boolean logX;
    private final List<Series> series = new ArrayList<>();
    private String sharedAxis;

    /**
     * @param logX log10 x axis (every x must then be &gt; 0)
     */
    SvgPlot(String title, String xLabel, double[] x, boolean logX) {
        if (x.length == 0) {
            throw new IllegalArgumentException("a plot needs at least one point");
        }
        for (double v : x) {
            if (logX && !(v > 0)) {
                throw new IllegalArgumentException("a log axis needs x > 0: " + v);
            }
        }
        this.title = title;
        this.xLabel = xLabel;
        this.x = x.clone();
        this.logX = logX;
    }

    /**
     * Puts every series on one left axis named {@code label} (series of one unit), with a legend; up to three
     * series then.
     */
    SvgPlot sharedAxis(String label) {
        this.sharedAxis = label;
        return this;
    }

    /**
     * Adds a series: without a shared axis at most two (the first on the left axis, the second on the right),
     * with one at most three.
     */
    SvgPlot series(String name, double[] y) {
        if (y.length != x.length) {
            throw new IllegalArgumentException(name + ": " + y.length + " values for " + x.length + " x values");
        }
        if (series.size() == (sharedAxis == null ? 2 : 3)) {
            throw new IllegalArgumentException("too many series");
        }
        series.add(new Series(name, y.clone()));
        return this;
    }

    /** The SVG document. */
    String svg() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
                W / 2, esc(title)));
        int x0 = LEFT;
        int x1 = W - RIGHT;
        int y0 = H - BOTTOM;
        int y1 = TOP;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                x0, y1, x1 - x0, y0 - y1));
        // x ticks: at every point on a log axis (the points are decades apart), else five even ticks
        double[] ticks = logX ? x : evenTicks(min(x), max(x));
        for (double t : ticks) {
            double px = px(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", px, y0, px, y1));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, y0 + 16, label(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", (x0 + x1) / 2, H - 18,
                esc(xLabel + (logX ? " (log scale)" : ""))));
        double sharedTop = niceTop(series.stream().mapToDouble(se -> max(se.y())).max().orElse(1));
        if (sharedAxis != null) {
            sb.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                    (y0 + y1) / 2, esc(sharedAxis)));
        }
        for (int s = 0; s < series.size(); s++) {
            Series se = series.get(s);
            String colour = COLOURS[s];
            double top = sharedAxis != null ? sharedTop : niceTop(max(se.y()));
            int axisX = s == 0 ? x0 : x1;
            if (sharedAxis != null) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", x0 + 10,
                        y1 + 16 + 16 * s, colour, esc(se.name())));
            }
            for (int i = 0; i <= 4 && (sharedAxis == null || s == 0); i++) {
                double v = top * i / 4;
                double py = y0 - (y0 - y1) * v / top;
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>%n",
                        s == 0 ? axisX - 6 : axisX + 6, py + 4, s == 0 ? "end" : "start",
                        sharedAxis != null ? "black" : colour, label(v)));
            }
            if (sharedAxis == null) {
                sb.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\" "
                        + "fill=\"%s\">%s</text>%n", s == 0 ? 16 : W - 10, (y0 + y1) / 2, colour, esc(se.name())));
            }
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < x.length; i++) {
                double py = y0 - (y0 - y1) * se.y()[i] / top;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(x[i]), py));
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n", px(x[i]), py, colour));
            }
            sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    points.toString().trim(), colour, s == 1 ? " stroke-dasharray=\"6 4\"" : s == 2 ? " stroke-dasharray=\"2 3\"" : ""));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Writes {@link #svg()} to {@code file} (directories created) and returns it. */
    Path write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, svg(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private double px(double v) {
        double lo = min(x);
        double hi = max(x);
        if (logX) {
            v = Math.log10(v);
            lo = Math.log10(lo);
            hi = Math.log10(hi);
        }
        double pad = hi == lo ? 1 : (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        return LEFT + (W - LEFT - RIGHT) * (v - lo) / (hi - lo);
    }

    private static double[] evenTicks(double lo, double hi) {
        if (hi == lo) {
            return new double[] {lo};
        }
        double[] t = new double[5];
        for (int i = 0; i < 5; i++) {
            t[i] = lo + (hi - lo) * i / 4;
        }
        return t;
    }

    /** The smallest 1, 2 or 5 × 10^n at or above {@code v} (1 for nothing positive). */
    static double niceTop(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** 1k, 2.5M, 120, 0.5: short labels. */
    static String label(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
