package io.kmswatch.streams.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The deletion date of a ScheduleKeyDeletion. CloudTrail logs {@code responseElements.deletionDate} as
 * a human string whose format varies ({@code "Apr 12, 2021 18:58:30 PM"}, {@code "Nov 2, 2021, 11:25:25 PM"},
 * sometimes ISO-8601); when it cannot be read, it is the event time plus {@code pendingWindowInDays}
 * (30 when absent, the KMS default).
 */
public final class DeletionDates {
    private static final List<DateTimeFormatter> HUMAN = List.of(
            DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US),
            DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US),
            DateTimeFormatter.ofPattern("MMM d, yyyy, H:mm:ss", Locale.US),
            DateTimeFormatter.ofPattern("MMM d, yyyy H:mm:ss", Locale.US));

    private DeletionDates() {
    }

    /** The deletion date the record announces; never null. */
    public static Instant of(CloudTrailEvent e) {
        JsonNode date = e.responseElements().path("deletionDate");
        if (date.isNumber()) {
            // the SDK's epoch-seconds form
            return Instant.ofEpochSecond(date.asLong());
        }
        if (date.isTextual()) {
            Instant parsed = parse(date.textValue());
            if (parsed != null) {
                return parsed;
            }
        }
        return e.eventTime().plus(pendingWindowInDays(e), ChronoUnit.DAYS);
    }

    /** {@code pendingWindowInDays} from the request or response; 30 (the KMS default) when absent. */
    public static int pendingWindowInDays(CloudTrailEvent e) {
        JsonNode n = e.requestParameters().path("pendingWindowInDays");
        if (!n.canConvertToInt()) {
            n = e.responseElements().path("pendingWindowInDays");
        }
        if (n.isNumber() || n.isTextual()) {
            int d = n.asInt(30);
            return d > 0 ? d : 30;
        }
        return 30;
    }

    static Instant parse(String s) {
        String text = s.trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException ignored) {
            // not ISO-8601; try the human forms
        }
        // "18:58:30 PM" (a 24-hour clock with a meridiem) appears in AWS's own examples: drop the marker.
        String noMeridiem = text.replaceAll("\\s*[AP]M$", "");
        for (DateTimeFormatter f : HUMAN) {
            for (String candidate : new String[] {text, noMeridiem}) {
                try {
                    return LocalDateTime.parse(candidate, f).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException ignored) {
                    // next form
                }
            }
        }
        return null;
    }
}
