package io.kmswatch.emulator.traffic;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The daily and weekly shape of human-driven traffic, as a factor in (0, 1] of the peak rate: a working-day
 * curve peaking at 14:00 UTC with a night floor, and weekends at 40% of weekdays.
 */
final class DailyShape {

    private static final double NIGHT_FLOOR = 0.25;
    private static final double PEAK_HOUR = 14.0;
    private static final double SPREAD_HOURS = 4.0;
    private static final double WEEKEND = 0.4;

    private DailyShape() {
    }

    static double factor(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        double hour = z.getHour() + z.getMinute() / 60.0 + z.getSecond() / 3600.0;
        double day = NIGHT_FLOOR + (1 - NIGHT_FLOOR)
                * Math.exp(-((hour - PEAK_HOUR) * (hour - PEAK_HOUR)) / (2 * SPREAD_HOURS * SPREAD_HOURS));
        DayOfWeek dow = z.getDayOfWeek();
        return dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? day * WEEKEND : day;
    }
}
