package io.workerrole.jobs.control.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The times at which jobs known to this server fall due: delayed jobs it accepted and retries it
 * set. The dispatcher wakes at the earliest of them rather than at its next poll, so that such a
 * job starts within milliseconds of its time instead of within a poll interval. Jobs other
 * servers accepted are still found by the poll. At most {@code capacity} times are kept: beyond
 * that the poll finds the jobs, a little later.
 */
final class DueTimes {

    private final ConcurrentSkipListSet<Instant> times = new ConcurrentSkipListSet<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    DueTimes(int capacity) {
        this.capacity = capacity;
    }

    /** @return true if it is now the earliest time known (the dispatcher's wait may have to shorten) */
    boolean add(Instant at) {
        if (size.get() >= capacity) {
            return false;
        }
        if (times.add(at)) {
            size.incrementAndGet();
        }
        return at.equals(firstOrNull());
    }

    /** @return how long until the earliest time, at most {@code max}; zero if one has come */
    Duration untilNext(Instant now, Duration max) {
        Instant first = firstOrNull();
        if (first == null) {
            return max;
        }
        Duration until = Duration.between(now, first);
        return until.isNegative() ? Duration.ZERO : until.compareTo(max) > 0 ? max : until;
    }

    /** @return whether a time has come by {@code now}; those that have are forgotten */
    boolean takeDue(Instant now) {
        boolean due = false;
        for (Instant first = firstOrNull(); first != null && !first.isAfter(now); first = firstOrNull()) {
            if (times.remove(first)) {
                size.decrementAndGet();
                due = true;
            }
        }
        return due;
    }

    /** @return the earliest time, or null (first() would throw should another thread empty the set meanwhile) */
    private Instant firstOrNull() {
        return times.ceiling(Instant.MIN);
    }
}
