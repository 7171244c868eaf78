package io.workerrole.schedules.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateTimetableTest {

    private static final Instant FIRST = Instant.parse("2026-11-25T12:00:00Z");
    private final RateTimetable every10s = new RateTimetable(FIRST, Duration.ofSeconds(10));

    @Test
    void theFirstFiringIsTheStartItself() {
        assertEquals(FIRST, every10s.firstAfter(FIRST.minusSeconds(60)).orElseThrow());
    }

    @Test
    void firingsStayOnTheGridHoweverLateTheQuestionIsAsked() {
        assertEquals(FIRST.plusSeconds(10), every10s.firstAfter(FIRST).orElseThrow());
        assertEquals(FIRST.plusSeconds(10), every10s.firstAfter(FIRST.plusMillis(9_999)).orElseThrow());
        assertEquals(FIRST.plusSeconds(20), every10s.firstAfter(FIRST.plusSeconds(10)).orElseThrow());
        assertEquals(FIRST.plusSeconds(36_010), every10s.firstAfter(FIRST.plusSeconds(36_003)).orElseThrow());
    }

    @Test
    void aGridStartedAtTheEarliestInstantTakenFindsItsNextFiringCenturiesOn() {
        RateTimetable fromEpoch = new RateTimetable(Instant.EPOCH, Duration.ofMillis(100));
        Instant late = Instant.parse("9999-12-29T23:59:59.95Z");
        assertEquals(Instant.parse("9999-12-30T00:00:00Z"), fromEpoch.firstAfter(late).orElseThrow());
    }

    @Test
    void aOneShotFiresOnceAtItsInstant() {
        OnceTimetable once = new OnceTimetable(FIRST);
        assertEquals(FIRST, once.firstAfter(FIRST.minusMillis(1)).orElseThrow());
        assertTrue(once.firstAfter(FIRST).isEmpty());
    }
}
