package io.workerrole.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    private static final int[] HUGE_COUNTS = {63, 64, 94, 95, 1_000, 1 << 20, Integer.MAX_VALUE};

    private final Backoff backoff = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void doublesAfterEachFurtherFailure() {
        assertEquals(Duration.ofSeconds(1), backoff.delayAfter(1));
        assertEquals(Duration.ofSeconds(2), backoff.delayAfter(2));
        assertEquals(Duration.ofSeconds(4), backoff.delayAfter(3));
        assertEquals(Duration.ofSeconds(32), backoff.delayAfter(6));
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(7));
    }

    @Test
    void neverExceedsTheCapNorShrinksHoweverManyFailures() {
        Duration previous = Duration.ZERO;
        for (int failures = 1; failures <= 200; failures++) {
            Duration delay = backoff.delayAfter(failures);
            assertTrue(delay.compareTo(previous) >= 0, "after " + failures + ": " + delay + " < " + previous);
            assertTrue(delay.compareTo(backoff.cap()) <= 0, "after " + failures + ": " + delay);
            previous = delay;
        }
        for (int failures : HUGE_COUNTS) {
            assertEquals(Duration.ofSeconds(60), backoff.delayAfter(failures), "after " + failures);
        }
    }

    @Test
    void readsFewerThanOneFailureAsOne() {
        for (int failures : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertEquals(Duration.ofSeconds(1), backoff.delayAfter(failures), "after " + failures);
        }
    }

    @Test
    void aFirstDelayAboveTheCapIsCapped() {
        Backoff inverted = Backoff.doubling(Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(5), inverted.delayAfter(1));
        assertEquals(Duration.ofSeconds(5), inverted.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void aZeroFirstDelayStaysZeroAndAZeroCapCapsAll() {
        assertEquals(Duration.ZERO, Backoff.doubling(Duration.ZERO, Duration.ofSeconds(5)).delayAfter(Integer.MAX_VALUE));
        assertEquals(Duration.ZERO, Backoff.doubling(Duration.ofSeconds(1), Duration.ZERO).delayAfter(3));
    }

    @Test
    void growsWithoutOverflowFromTheShortestToTheLongestDuration() {
        Backoff widest = Backoff.doubling(Duration.ofNanos(1), LONGEST);
        assertEquals(Duration.ofNanos(1L << 62), widest.delayAfter(63));
        assertEquals(Duration.ofNanos(1L << 62).multipliedBy(4), widest.delayAfter(65), "past what a long of nanoseconds holds");
        for (int failures : HUGE_COUNTS) {
            Duration delay = widest.delayAfter(failures);
            assertTrue(delay.compareTo(LONGEST) <= 0 && !delay.isNegative(), "after " + failures + ": " + delay);
        }
        assertEquals(LONGEST, widest.delayAfter(Integer.MAX_VALUE));
        assertEquals(LONGEST, widest.withJitter(1, () -> 1).delayAfter(93), "jitter beyond the cap is cut, not overflowed");
    }

    @Test
    void jitterAddsAtMostItsFractionInWholeMillisecondsAndNeverPassesTheCap() {
        Backoff jittered = Backoff.doubling(Duration.ofSeconds(10), Duration.ofSeconds(30)).withJitter(0.2, () -> 1.0);
        assertEquals(Duration.ofSeconds(12), jittered.delayAfter(1));
        assertEquals(Duration.ofSeconds(24), jittered.delayAfter(2));
        assertEquals(Duration.ofSeconds(30), jittered.delayAfter(3));
        assertEquals(Duration.ofSeconds(30), jittered.delayAfter(Integer.MAX_VALUE));

        Backoff half = Backoff.doubling(Duration.ofMillis(1001), Duration.ofMinutes(1)).withJitter(0.2, () -> 0.5);
        assertEquals(Duration.ofMillis(1001 + 100), half.delayAfter(1), "100.1 ms rounded to whole milliseconds");
        assertEquals(Duration.ofMillis(1001), half.withJitter(0.2, () -> 0.0).delayAfter(1));
    }

    @Test
    void takesRandomNumbersOutsideZeroToOneAsTheNearerEnd() {
        Backoff base = Backoff.doubling(Duration.ofSeconds(10), Duration.ofMinutes(1));
        assertEquals(Duration.ofSeconds(10), base.withJitter(0.2, () -> -3).delayAfter(1));
        assertEquals(Duration.ofSeconds(12), base.withJitter(0.2, () -> 7).delayAfter(1));
    }

    @Test
    void rejectsNegativeDurationsAndJitterOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
        for (double jitter : List.of(-0.1, 1.1, Double.NaN)) {
            assertThrows(IllegalArgumentException.class, () -> backoff.withJitter(jitter, () -> 0), "jitter " + jitter);
        }
        assertThrows(NullPointerException.class, () -> Backoff.doubling(null, Duration.ofSeconds(1)));
    }

    @Test
    void keepsTheRestartDelaysOfTheFormerRestartBackoffForEveryFailureCount() {
        List<Duration> initials = List.of(Duration.ZERO, Duration.ofNanos(1), Duration.parse("PT0.0005S"),
                Duration.ofMillis(1), Duration.ofSeconds(1), Duration.parse("PT1.5S"), Duration.ofSeconds(10));
        List<Duration> maxima = List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(365));
        int[] failures = IntStream.concat(IntStream.rangeClosed(-2, 200),
                IntStream.of(1_000, 1 << 20, Integer.MAX_VALUE)).toArray();
        for (Duration initial : initials) {
            for (Duration max : maxima) {
                Backoff restarts = Backoff.doubling(initial, max);
                for (int count : failures) {
                    assertEquals(formerRestartDelayAfter(initial, max, count), restarts.delayAfter(count),
                            initial + " to " + max + ", failures " + count);
                }
            }
        }
    }

    /**
     * role.control.RestartBackoff.delayAfter, the task restart delay before Backoff replaced it
     * (issue 29), kept as the reference. Its doublings stopped at 62, which only a maximum above
     * 2^62 times the initial delay (146 years after 1 ns) could tell.
     */
    private static Duration formerRestartDelayAfter(Duration initial, Duration max, int consecutiveFailures) {
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
