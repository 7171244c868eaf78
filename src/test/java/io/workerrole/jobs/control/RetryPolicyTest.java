package io.workerrole.jobs.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;

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
}
