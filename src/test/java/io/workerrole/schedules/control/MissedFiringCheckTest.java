package io.workerrole.schedules.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MissedFiringCheckTest {

    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");
    private final Timetable everySecond = new RateTimetable(T, Duration.ofSeconds(1));

    @Test
    void nothingIsMissedWhenTheNextFiringIsStillAhead() {
        assertTrue(MissedFiringCheck.between(everySecond, T, T.plusMillis(999)).isEmpty());
    }

    @Test
    void countsTheFiringsInTheStretchWithTheLastIncluded() {
        MissedFiringCheck.Missed missed = MissedFiringCheck.between(everySecond, T, T.plusSeconds(5)).orElseThrow();
        assertEquals(T.plusSeconds(1), missed.first());
        assertEquals(T.plusSeconds(5), missed.last());
        assertEquals(5, missed.count());
        assertFalse(missed.more());
        assertEquals("5 firings missed, due from 2026-11-25T12:00:01Z to 2026-11-25T12:00:05Z", missed.describe());
    }

    @Test
    void aLongDowntimeIsCountedUpToALimit() {
        Timetable often = new RateTimetable(T, Duration.ofMillis(100));
        MissedFiringCheck.Missed missed = MissedFiringCheck.between(often, T, T.plus(Duration.ofDays(30))).orElseThrow();
        assertEquals(MissedFiringCheck.MAX_COUNTED, missed.count());
        assertTrue(missed.more());
        assertTrue(missed.describe().contains("or more"));
    }

    @Test
    void aOneShotThatFellInTheStretchIsOneMissedFiring() {
        MissedFiringCheck.Missed missed = MissedFiringCheck.between(new OnceTimetable(T.plusSeconds(3)), T, T.plusSeconds(60)).orElseThrow();
        assertEquals(1, missed.count());
        assertEquals("1 firing missed, due at 2026-11-25T12:00:03Z", missed.describe());
    }
}
