package io.kmswatch.emulator.sigv4;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The digit-by-digit X-Amz-Date reader agrees with the formatter wherever it answers. */
class AmzDateProperties {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Property(tries = 3000)
    void shouldReadWhatTheFormatterReadsTheSameWay(@ForAll @IntRange(max = 9999) int year,
                                                   @ForAll @IntRange(max = 19) int month,
                                                   @ForAll @IntRange(max = 39) int day,
                                                   @ForAll @IntRange(max = 29) int hour,
                                                   @ForAll @IntRange(max = 69) int minute,
                                                   @ForAll @IntRange(max = 69) int second) {
        String v = String.format("%04d%02d%02dT%02d%02d%02dZ", year, month, day, hour, minute, second);

        Instant plain = SigV4Verifier.plainAmzDate(v);

        if (plain != null) {
            assertThat(LocalDateTime.parse(v, FORMAT).toInstant(ZoneOffset.UTC)).isEqualTo(plain);
        } else {
            // a date the calendar refuses: the formatter decides (refuses, or reads it its own way)
            assertThat(year == 0 || month == 0 || month > 12 || day == 0 || day > 28 || hour > 23 || minute > 59 || second > 59)
                    .as(v).isTrue();
        }
    }

    @Example
    void shouldLeaveOtherShapesToTheFormatter() {
        assertThat(SigV4Verifier.plainAmzDate("20260314T150926Z")).isEqualTo(Instant.parse("2026-03-14T15:09:26Z"));
        for (String v : new String[] {"2026-03-14", "20260314T150926", "20260314t150926Z", "2026031４T150926Z",
                "+0260314T150926Z", "20260314T1509260", ""}) {
            assertThat(SigV4Verifier.plainAmzDate(v)).as(v).isNull();
        }
        // a day the month does not have: the formatter's resolver decides, as before
        assertThat(SigV4Verifier.plainAmzDate("20260230T000000Z")).isNull();
    }
}
