package io.workerrole.role.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

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

    @Test
    void keepsTheDelaysOfItsFormerArithmeticForEveryFailureCount() {
        List<Duration> initials = List.of(Duration.ZERO, Duration.ofNanos(1), Duration.parse("PT0.0005S"),
                Duration.ofMillis(1), Duration.ofSeconds(1), Duration.parse("PT1.5S"), Duration.ofSeconds(10));
        List<Duration> maxima = List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(365));
        int[] failures = IntStream.concat(IntStream.rangeClosed(-2, 200),
                IntStream.of(1_000, 1 << 20, Integer.MAX_VALUE)).toArray();
        for (Duration initial : initials) {
            for (Duration max : maxima) {
                RestartBackoff current = new RestartBackoff(initial, max);
                for (int count : failures) {
                    assertEquals(formerDelayAfter(initial, max, count), current.delayAfter(count),
                            initial + " to " + max + ", failures " + count);
                }
            }
        }
    }

    /**
     * RestartBackoff.delayAfter as it was before it used Backoff (issue 29), kept as the
     * reference. Its doublings stopped at 62, which only a maximum above 2^62 times the initial
     * delay (146 years after 1 ns) could tell.
     */
    private static Duration formerDelayAfter(Duration initial, Duration max, int consecutiveFailures) {
        if (initial.compareTo(max) >= 0) {
            return max;
        }
        int doublings = Math.min(Math.max(consecutiveFailures, 1) - 1, 62);
        if (initial.compareTo(max.dividedBy(1L << doublings)) > 0) {
            return max;
        }
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
