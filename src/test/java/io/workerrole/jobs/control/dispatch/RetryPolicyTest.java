package io.workerrole.jobs.control.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryPolicyTest {

    @Test
    void doublesFromTheInitialDelayWithoutJitter() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0);
        assertEquals(Duration.ofSeconds(1), policy.delayAfter(1));
        assertEquals(Duration.ofSeconds(2), policy.delayAfter(2));
        assertEquals(Duration.ofSeconds(8), policy.delayAfter(4));
    }

    @Test
    void addsAtMostTwentyPercentJitterAndNeverExceedsTheCap() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), () -> 1.0);
        assertEquals(Duration.ofSeconds(12), policy.delayAfter(1));
        assertEquals(Duration.ofSeconds(24), policy.delayAfter(2));
        assertEquals(Duration.ofSeconds(30), policy.delayAfter(3));
        assertEquals(Duration.ofSeconds(30), policy.delayAfter(100));
    }

    @Test
    void keepsTheDelaysOfItsFormerArithmeticForEveryAttempt() {
        List<Duration> initials = List.of(Duration.ZERO, Duration.ofMillis(1), Duration.parse("PT0.0015S"),
                Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1));
        List<Duration> maxima = List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(12));
        int[] attempts = IntStream.concat(IntStream.rangeClosed(-2, 200),
                IntStream.of(1_000, 1 << 20, Integer.MAX_VALUE)).toArray();
        for (Duration initial : initials) {
            for (Duration max : maxima) {
                for (double random : new double[] {0.0, 0.37, 0.5, 0.999_999, 1.0}) {
                    RetryPolicy policy = new RetryPolicy(initial, max, () -> random);
                    for (int attempt : attempts) {
                        assertEquals(formerDelayAfter(initial, max, random, attempt), policy.delayAfter(attempt),
                                initial + " to " + max + ", random " + random + ", attempt " + attempt);
                    }
                }
            }
        }
    }

    /**
     * RetryPolicy.delayAfter as it was before it used Backoff (issue 29), kept as the reference.
     * Its doublings stopped at 30 (2^30 ms is 12.4 days), which is why no maximum above
     * 2^30 times the initial delay is compared: there Backoff goes on to the maximum.
     */
    private static Duration formerDelayAfter(Duration initial, Duration max, double random, int failedAttempt) {
        int doublings = Math.min(Math.max(failedAttempt, 1) - 1, 30);
        long base = Math.min(initial.toMillis() << doublings, max.toMillis());
        if (initial.toMillis() > (max.toMillis() >> doublings)) {
            base = max.toMillis();
        }
        long jitter = Math.round(base * 0.2 * random);
        return Duration.ofMillis(Math.min(base + jitter, max.toMillis()));
    }
}
