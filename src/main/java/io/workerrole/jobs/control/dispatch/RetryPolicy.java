package io.workerrole.jobs.control.dispatch;

import io.workerrole.platform.Backoff;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed job again: a {@link Backoff} from {@code initial}, capped at {@code max},
 * in whole milliseconds, with up to 20% random jitter so that jobs failing together do not retry
 * together.
 */
public record RetryPolicy(Duration initial, Duration max, DoubleSupplier random) {

    /**
     * @param failedAttempt the attempt that just failed, from 1
     * @return the wait before the next attempt
     */
    public Duration delayAfter(int failedAttempt) {
        return Backoff.doubling(initial.truncatedTo(ChronoUnit.MILLIS), max.truncatedTo(ChronoUnit.MILLIS))
                .withJitter(0.2, random)
                .delayAfter(failedAttempt);
    }
}
