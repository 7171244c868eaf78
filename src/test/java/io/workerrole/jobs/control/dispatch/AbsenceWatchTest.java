package io.workerrole.jobs.control.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AbsenceWatchTest {

    private static final Instant NOW = Instant.parse("2026-12-10T10:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Test
    void aServerAbsentAtEveryLookIsGoneOnceTheGraceHasPassedSinceTheFirst() {
        AbsenceWatch watch = new AbsenceWatch(GRACE);

        assertEquals(Set.of(), watch.gone(List.of("a"), NOW), "absent once: not yet gone");
        assertEquals(Set.of(), watch.gone(List.of("a", "b"), NOW.plusMillis(1500)));
        assertEquals(Set.of("a"), watch.gone(List.of("a", "b"), NOW.plus(GRACE)), "a, absent since the first look, is gone");
        assertEquals(Set.of("a", "b"), watch.gone(List.of("a", "b"), NOW.plusMillis(3500)));
    }

    @Test
    void oneLookThatFindsTheServerBackStartsItsCountAfresh() {
        AbsenceWatch watch = new AbsenceWatch(GRACE);
        watch.gone(List.of("a"), NOW);
        watch.gone(List.of(), NOW.plusMillis(500)); // it holds its lock again: it only reconnected

        assertEquals(Set.of(), watch.gone(List.of("a"), NOW.plusSeconds(2)), "absent again, but only since now");
        assertEquals(Set.of("a"), watch.gone(List.of("a"), NOW.plusSeconds(4)));
    }

    @Test
    void whatWasSeenIsForgottenWhenThisServerLosesItsOwnPresenceOrTakesTheOtherOver() {
        AbsenceWatch watch = new AbsenceWatch(GRACE);
        watch.gone(List.of("a", "b"), NOW);
        watch.reset();
        assertEquals(Set.of(), watch.gone(List.of("a", "b"), NOW.plusSeconds(3)), "after a reset the count starts again");

        watch.forget("a");
        assertEquals(Set.of("b"), watch.gone(List.of("a", "b"), NOW.plusSeconds(5)), "a, taken over, counts as new");
    }
}
