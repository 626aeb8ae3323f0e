package io.kmswatch.streams;

import io.kmswatch.events.Severity;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one detection, bound from {@code detections.rules.<detection-id>} in the app config.
 * Every component may be null in YAML, meaning "the detection's default"; {@link #orElse} fills them.
 *
 * <pre>{@code
 * decrypt-spike: {enabled: true, severity: high, window: 5m, factor: 10, floor: 100, learningPeriod: 1h}
 * }</pre>
 *
 * @param enabled        false turns the detection off
 * @param severity       severity of a first firing
 * @param threshold      events in one window that make the detection fire (≥ 1)
 * @param window         tumbling window size (&gt; 0)
 * @param factor         decrypt-spike: how many times the baseline a window must reach (≥ 1)
 * @param floor          decrypt-spike: an absolute minimum count before a spike is reported (≥ 0)
 * @param learningPeriod how long an entity is observed before novelty or baselines count (≥ 0)
 * @param leadTime       key-deletion-pending: how long before the deletion date to warn (≥ 0)
 * @param forgetAfter    how long what a detection learned about something (a first sighting, a baseline's start)
 *                       lives after it was last seen (&gt; 0); seen again later, it is new again
 */
public record RuleSettings(Boolean enabled, Severity severity, Long threshold, Duration window, Double factor,
                           Long floor, Duration learningPeriod, Duration leadTime,
                           Duration forgetAfter) {
    public RuleSettings {
        if (threshold != null && threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
        }
        if (window != null && (window.isZero() || window.isNegative())) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (factor != null && !(factor >= 1.0)) {
            throw new IllegalArgumentException("factor must be at least 1, got " + factor);
        }
        if (floor != null && floor < 0) {
            throw new IllegalArgumentException("floor must not be negative, got " + floor);
        }
        if (learningPeriod != null && learningPeriod.isNegative()) {
            throw new IllegalArgumentException("learningPeriod must not be negative, got " + learningPeriod);
        }
        if (leadTime != null && leadTime.isNegative()) {
            throw new IllegalArgumentException("leadTime must not be negative, got " + leadTime);
        }
        if (forgetAfter != null && (forgetAfter.isZero() || forgetAfter.isNegative())) {
            throw new IllegalArgumentException("forgetAfter must be positive, got " + forgetAfter);
        }
    }

    /** Settings without {@code forgetAfter} (the detection's default lifetime). */
    public RuleSettings(Boolean enabled, Severity severity, Long threshold, Duration window, Double factor,
                        Long floor, Duration learningPeriod, Duration leadTime) {
        this(enabled, severity, threshold, window, factor, floor, learningPeriod, leadTime, null);
    }

    /** Settings with nothing set. */
    public static RuleSettings unset() {
        return new RuleSettings(null, null, null, null, null, null, null, null, null);
    }

    /** These settings, with every unset component taken from {@code defaults}. */
    public RuleSettings orElse(RuleSettings defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return new RuleSettings(enabled != null ? enabled : defaults.enabled,
                severity != null ? severity : defaults.severity,
                threshold != null ? threshold : defaults.threshold,
                window != null ? window : defaults.window,
                factor != null ? factor : defaults.factor,
                floor != null ? floor : defaults.floor,
                learningPeriod != null ? learningPeriod : defaults.learningPeriod,
                leadTime != null ? leadTime : defaults.leadTime,
                forgetAfter != null ? forgetAfter : defaults.forgetAfter);
    }

    public RuleSettings withEnabled(boolean on) {
        return new RuleSettings(on, severity, threshold, window, factor, floor, learningPeriod, leadTime, forgetAfter);
    }

    public RuleSettings withSeverity(Severity s) {
        return new RuleSettings(enabled, s, threshold, window, factor, floor, learningPeriod, leadTime, forgetAfter);
    }

    public RuleSettings withThreshold(long t) {
        return new RuleSettings(enabled, severity, t, window, factor, floor, learningPeriod, leadTime, forgetAfter);
    }

    public RuleSettings withWindow(Duration w) {
        return new RuleSettings(enabled, severity, threshold, w, factor, floor, learningPeriod, leadTime, forgetAfter);
    }

    public RuleSettings withFactor(double f) {
        return new RuleSettings(enabled, severity, threshold, window, f, floor, learningPeriod, leadTime, forgetAfter);
    }

    public RuleSettings withFloor(long f) {
        return new RuleSettings(enabled, severity, threshold, window, factor, f, learningPeriod, leadTime, forgetAfter);
    }

    public RuleSettings withLearningPeriod(Duration d) {
        return new RuleSettings(enabled, severity, threshold, window, factor, floor, d, leadTime, forgetAfter);
    }

    public RuleSettings withLeadTime(Duration d) {
        return new RuleSettings(enabled, severity, threshold, window, factor, floor, learningPeriod, d, forgetAfter);
    }

    public RuleSettings withForgetAfter(Duration d) {
        return new RuleSettings(enabled, severity, threshold, window, factor, floor, learningPeriod, leadTime, d);
    }

    /** True unless explicitly disabled. */
    public boolean isEnabled() {
        return enabled == null || enabled;
    }
}
