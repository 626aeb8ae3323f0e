package io.kmswatch.events;

import java.util.Locale;

/** Whether an alert's condition still holds. Serialized in lower case. */
public enum AlertStatus {
    FIRING, RESOLVED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static AlertStatus of(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
