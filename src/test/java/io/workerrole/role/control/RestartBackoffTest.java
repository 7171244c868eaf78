package io.workerrole.role.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestartBackoffTest {

    private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void doublesAfterEachConsecutiveFailure() {
        assertEquals(Duration.ofSeconds(1), backoff.delayAfter(1));
        assertEquals(Duration.ofSeconds(2), backoff.delayAfter(2));
        assertEquals(Duration.ofSeconds(4), backoff.delayAfter(3));
        assertEquals(Duration.ofSeconds(32), backoff.delayAfter(6));
    }

    @Test
    void neverExceedsTheCapEvenAfterVeryManyFailures() {
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(7));
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(64));
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void anInitialDelayAboveTheCapIsCapped() {
        assertEquals(Duration.ofSeconds(5), new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(5)).delayAfter(1));
    }

    @Test
    void treatsZeroFailuresLikeOne() {
        assertEquals(Duration.ofSeconds(1), backoff.delayAfter(0));
    }

    @Test
    void rejectsNegativeDurations() {
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    }
}
