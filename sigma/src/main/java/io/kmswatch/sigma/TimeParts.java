package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;

/**
 * The time modifiers ({@code minute hour day week month year}): one number from a timestamp value, read as
 * ISO-8601 ({@code 2023-07-10T11:42:18Z}, an offset, or a bare date) and taken in UTC; {@code week} is the
 * ISO week of the year. A value that is not a timestamp gives no number (no match).
 */
final class TimeParts {
    static final java.util.Set<String> NAMES = java.util.Set.of("minute", "hour", "day", "week", "month", "year");

    private TimeParts() {
    }

    static Integer extract(JsonNode leaf, String part) {
        String t = FieldPath.text(leaf);
        if (t == null || t.length() < 10 || t.length() > 40) {
            return null;
        }
        OffsetDateTime at;
        try {
            at = t.length() == 10 ? LocalDate.parse(t).atStartOfDay().atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
        return switch (part) {
            case "minute" -> at.getMinute();
            case "hour" -> at.getHour();
            case "day" -> at.getDayOfMonth();
            case "week" -> at.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case "month" -> at.getMonthValue();
            default -> at.getYear();
        };
    }
}
