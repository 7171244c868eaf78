package io.workerrole.role.control;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential restart backoff: {@code initial} after the first failure, doubled after each
 * further consecutive failure, never more than {@code max}.
 *
 * @param initial the delay after one failure
 * @param max the cap
 */
public record RestartBackoff(Duration initial, Duration max) {

    public RestartBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
    }

    /**
     * @param consecutiveFailures how many times in a row the task has failed, at least 1
     * @return how long to wait before the next start
     */
    public Duration delayAfter(int consecutiveFailures) {
        if (initial.compareTo(max) >= 0) {
            return max;
        }
        int doublings = Math.min(Math.max(consecutiveFailures, 1) - 1, 62);
        // Compare before multiplying, so that long runs of failures cannot overflow.
        if (initial.compareTo(max.dividedBy(1L << doublings)) > 0) {
            return max;
        }
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
