package io.workerrole.schedules.control;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cron instants, and daylight-saving changes (R16): no firing doubled, none lost. */
class CronTimetableTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void everySecondFiresOnTheNextWholeSecondStrictlyAfter() {
        CronTimetable cron = new CronTimetable("* * * * * *", ZoneId.of("UTC"));
        Instant whole = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(whole.plusSeconds(1), cron.firstAfter(whole).orElseThrow());
        assertEquals(whole.plusSeconds(1), cron.firstAfter(whole.plusMillis(999)).orElseThrow());
    }

    @Test
    void fiveFieldsMeanSecondZero() {
        CronTimetable cron = new CronTimetable("15 3 * * *", ZoneId.of("UTC"));
        assertEquals(Instant.parse("2026-01-02T03:15:00Z"), cron.firstAfter(Instant.parse("2026-01-01T04:00:00Z")).orElseThrow());
    }

    @Test
    void followsTheTimeZone() {
        CronTimetable cron = new CronTimetable("0 0 9 * * MON-FRI", PARIS);
        // Friday 2026-11-27 10:00 in Paris: the next is Monday 09:00 Paris (08:00 UTC in winter)
        Instant friday = ZonedDateTime.of(2026, 11, 27, 10, 0, 0, 0, PARIS).toInstant();
        assertEquals(Instant.parse("2026-11-30T08:00:00Z"), cron.firstAfter(friday).orElseThrow());
    }

    @Test
    void aDailyTimeInTheSpringGapRunsAtTheChangeInsteadOfBeingLost() {
        // 2026-03-29: Paris clocks go from 02:00 to 03:00; 02:30 does not exist that day.
        List<Instant> firings = firings(new CronTimetable("0 30 2 * * *", PARIS), LocalDateTime.of(2026, 3, 28, 12, 0), 3);
        assertEquals(List.of(
                ZonedDateTime.of(2026, 3, 29, 3, 0, 0, 0, PARIS).toInstant(),
                ZonedDateTime.of(2026, 3, 30, 2, 30, 0, 0, PARIS).toInstant(),
                ZonedDateTime.of(2026, 3, 31, 2, 30, 0, 0, PARIS).toInstant()), firings);
    }

    @Test
    void aDailyTimeInTheRepeatedAutumnHourFiresOnce() {
        // 2026-10-25: Paris clocks go back from 03:00 to 02:00; 02:30 comes twice.
        List<Instant> firings = firings(new CronTimetable("0 30 2 * * *", PARIS), LocalDateTime.of(2026, 10, 24, 12, 0), 3);
        assertEquals(List.of(
                ZonedDateTime.of(2026, 10, 24, 2, 30, 0, 0, PARIS).plusDays(1).withEarlierOffsetAtOverlap().toInstant(),
                ZonedDateTime.of(2026, 10, 26, 2, 30, 0, 0, PARIS).toInstant(),
                ZonedDateTime.of(2026, 10, 27, 2, 30, 0, 0, PARIS).toInstant()), firings);
    }

    @Test
    void anEveryMinuteScheduleKeepsFiringThroughTheRepeatedHour() {
        CronTimetable cron = new CronTimetable("0 * * * * *", PARIS);
        Instant from = ZonedDateTime.of(2026, 10, 25, 1, 59, 30, 0, PARIS).toInstant();
        Instant to = from.plusSeconds(2 * 3600); // two real hours, one of them repeated on the clock
        List<Instant> firings = new ArrayList<>();
        for (Instant t = cron.firstAfter(from).orElseThrow(); t.isBefore(to); t = cron.firstAfter(t).orElseThrow()) {
            firings.add(t);
        }
        assertEquals(120, firings.size());
        for (int i = 1; i < firings.size(); i++) {
            assertEquals(60, firings.get(i).getEpochSecond() - firings.get(i - 1).getEpochSecond());
        }
    }

    @Test
    void anImpossibleDateHasNoFiring() {
        assertTrue(new CronTimetable("0 0 0 31 2 *", PARIS).firstAfter(Instant.parse("2026-01-01T00:00:00Z")).isEmpty());
    }

    @Test
    void aBadExpressionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CronTimetable("61 * * * * *", PARIS));
        assertThrows(IllegalArgumentException.class, () -> new CronTimetable("* * *", PARIS));
    }

    private static List<Instant> firings(Timetable timetable, LocalDateTime from, int count) {
        List<Instant> firings = new ArrayList<>();
        Instant t = from.atZone(PARIS).toInstant();
        for (int i = 0; i < count; i++) {
            t = timetable.firstAfter(t).orElseThrow();
            firings.add(t);
        }
        return firings;
    }
}
