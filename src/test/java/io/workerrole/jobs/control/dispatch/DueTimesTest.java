package io.workerrole.jobs.control.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DueTimesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration POLL = Duration.ofMillis(200);

    @Test
    void theWaitEndsAtTheEarliestTimeAndNeverPastThePoll() {
        DueTimes due = new DueTimes(10);
        assertEquals(POLL, due.untilNext(NOW, POLL), "nothing known: the poll");

        assertTrue(due.add(NOW.plusMillis(150)), "the earliest so far");
        assertFalse(due.add(NOW.plusMillis(170)), "a later one changes no wait");
        assertTrue(due.add(NOW.plusMillis(40)));

        assertEquals(Duration.ofMillis(40), due.untilNext(NOW, POLL));
        assertEquals(Duration.ZERO, due.untilNext(NOW.plusMillis(60), POLL), "overdue: no wait");
        DueTimes later = new DueTimes(10);
        later.add(NOW.plusSeconds(5));
        assertEquals(POLL, later.untilNext(NOW, POLL), "far ahead: the poll");
    }

    @Test
    void takingWhatIsDueForgetsItAndKeepsTheRest() {
        DueTimes due = new DueTimes(10);
        due.add(NOW.plusMillis(10));
        due.add(NOW.plusMillis(20));
        due.add(NOW.plusMillis(500));

        assertFalse(due.takeDue(NOW), "none due yet");
        assertTrue(due.takeDue(NOW.plusMillis(20)), "both due by then");
        assertFalse(due.takeDue(NOW.plusMillis(20)), "taken once");
        assertEquals(Duration.ofMillis(480), due.untilNext(NOW.plusMillis(20), Duration.ofSeconds(1)));
    }

    @Test
    void beyondItsCapacityTheTimesAreLeftToThePoll() {
        DueTimes due = new DueTimes(2);
        due.add(NOW.plusMillis(30));
        due.add(NOW.plusMillis(20));

        assertFalse(due.add(NOW.plusMillis(10)), "full");
        assertEquals(Duration.ofMillis(20), due.untilNext(NOW, POLL));
    }
}
