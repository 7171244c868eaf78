package io.workerrole.jobs.entity;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitStateTest {

    private static final Instant NOW = Instant.parse("2026-12-08T03:00:00Z");

    @Test
    void aTypeIsAtItsConcurrencyWhenItsRunningAndStartedJobsFillIt() {
        TypeLimit five = new TypeLimit(5, null);
        assertTrue(new LimitState("t", five, 5, Integer.MAX_VALUE, 0, NOW, null).atConcurrency());
        assertTrue(new LimitState("t", five, 3, Integer.MAX_VALUE, 2, NOW, null).atConcurrency());
        assertFalse(new LimitState("t", five, 3, Integer.MAX_VALUE, 1, NOW, null).atConcurrency());
        assertFalse(new LimitState("t", five, 5, Integer.MAX_VALUE, 0, NOW, null).atRate(), "no rate, never at it");
    }

    @Test
    void aTypeIsAtItsRateWhenTheClaimSpentEveryWholeToken() {
        TypeLimit rate = new TypeLimit(null, 20.0);
        assertTrue(new LimitState("t", rate, -1, 0, 0, NOW, NOW).atRate());
        assertTrue(new LimitState("t", rate, -1, 3, 3, NOW, NOW).atRate());
        assertFalse(new LimitState("t", rate, -1, 3, 1, NOW, NOW).atRate(), "tokens left: the backlog ran out, not the rate");
        assertFalse(new LimitState("t", rate, -1, 0, 0, NOW, NOW).atConcurrency(), "no concurrency, never at it");
    }
}
