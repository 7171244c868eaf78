package io.workerrole.jobs.control;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed job again: exponential backoff from {@code initial}, capped at
 * {@code max}, with up to 20% random jitter so that jobs failing together do not retry
 * together.
 */
public record RetryPolicy(Duration initial, Duration max, DoubleSupplier random) {

    /**
     * @param failedAttempt the attempt that just failed, from 1
     * @return the wait before the next attempt
     */
    public Duration delayAfter(int failedAttempt) {
        int doublings = Math.min(Math.max(failedAttempt, 1) - 1, 30);
        long base = Math.min(initial.toMillis() << doublings, max.toMillis());
        if (initial.toMillis() > (max.toMillis() >> doublings)) {
            base = max.toMillis();
        }
        long jitter = Math.round(base * 0.2 * random.getAsDouble());
        return Duration.ofMillis(Math.min(base + jitter, max.toMillis()));
    }
}
