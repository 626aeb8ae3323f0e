package io.kmswatch.events.config;

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
 * The one duration syntax of every kmswatch config file. Durations as people write them in YAML: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 7d}, combinations such as {@code 1h30m}, ISO-8601 ({@code PT1H}), or a bare number of
 * seconds.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException when the text is none of the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid duration '" + text + "'");
            }
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "' (expected e.g. 500ms, 30s, 5m, 1h, 7d, 1h30m or PT1H)");
        }
        return total;
    }

    /** A Jackson module that reads every {@link Duration} with {@link #parse}. */
    public static SimpleModule module() {
        return new SimpleModule("kmswatch-durations").addDeserializer(Duration.class, new Deserializer());
    }

    /** Jackson deserializer for {@link #parse}; numbers are seconds. */
    public static final class Deserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Duration.ofSeconds(p.getLongValue());
            }
            try {
                return parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
            }
        }
    }
}
