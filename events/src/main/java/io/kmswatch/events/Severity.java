package io.kmswatch.events;

import java.util.Locale;

/** How urgent a detection or alert is, lowest first. Serialized in lower case. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code high}, {@code HIGH}, … */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Severity of(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown severity '" + s + "' (expected info, low, medium, high or critical)");
        }
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** The next level up, or CRITICAL. */
    public Severity escalate() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }
}
