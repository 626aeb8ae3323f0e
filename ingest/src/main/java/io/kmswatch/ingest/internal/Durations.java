package io.kmswatch.ingest.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way people write them in YAML: {@code 15m}, {@code 30s}, {@code 2h},
 * {@code 500ms}, {@code 1d}, ISO-8601 ({@code PT15M}), or a bare number of seconds.
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses one duration.
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write 500ms, 30s, 15m, 2h, 1d or PT15M");
        }
    }

    /** A Jackson module that binds {@link Duration} fields with {@link #parse}. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("kmswatch-durations");
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    return Duration.ofSeconds(p.getLongValue());
                }
                try {
                    return parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw ctxt.weirdStringException(p.getValueAsString(), Duration.class, e.getMessage());
                }
            }
        });
        return module;
    }
}
