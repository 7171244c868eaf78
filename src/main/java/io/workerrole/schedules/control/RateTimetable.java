package io.workerrole.schedules.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fixed rate: {@code first + k * period} for k = 0, 1, 2, ... Firings stay on this grid whichever
 * server computes them and however late the previous one ran, so that servers agree on the
 * instants of a singleton schedule.
 */
record RateTimetable(Instant first, Duration period) implements Timetable {

    @Override
    public Optional<Instant> firstAfter(Instant after) {
        if (after.isBefore(first)) {
            return Optional.of(first);
        }
        // Divided exactly, not in nanoseconds: those overflow past 292 years (a first firing in 1970 is fine).
        long periods = Duration.between(first, after).dividedBy(period);
        return Optional.of(first.plus(period.multipliedBy(periods + 1)));
    }
}
