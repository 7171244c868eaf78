package io.workerrole.platform;

import java.time.Duration;
import java.time.Instant;

/**
 * The bounds on the keys, instants and durations the worker takes from outside (job messages,
 * schedules, pipelines, query parameters), in one place. Within them a key fits its column, an
 * instant the timestamp columns of both databases (Derby's TIMESTAMP ends with the year 9999; PostgreSQL's starts in 4713 BC), and
 * the arithmetic done later with it cannot overflow: an instant plus a duration, a duration in
 * milliseconds (a schedule's {@code every_ms}) or in nanoseconds. A value outside is refused at
 * the boundary with the field named, never left to fail as a 500 or a 503 in the store.
 */
public final class InputBounds {

    /** The earliest instant taken: the Unix epoch (a filter's {@code from}, a rate schedule's {@code startAt}). */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /**
     * The latest instant taken: a day before Derby's TIMESTAMP ends (9999-12-31, in the JVM's time
     * zone, whichever it is).
     */
    public static final Instant LATEST = Instant.parse("9999-12-30T00:00:00Z");

    /**
     * The longest interval or deadline taken (a schedule's {@code every}, {@code delay} and
     * {@code after}, a pipeline step's {@code deadline}): ten years of days. A job's {@code delay}
     * has its own, shorter bound, {@code worker.jobs.maxDelay}.
     */
    public static final Duration LONGEST = Duration.ofDays(3650);

    /**
     * The longest key taken (a job's {@code idempotencyKey}, {@code sequence.key}, {@code mutex}):
     * what the key columns of the job table hold, VARCHAR(200).
     */
    public static final int LONGEST_KEY = 200;

    private InputBounds() {
    }

    /** @return whether the instant is within {@link #EARLIEST} and {@link #LATEST} */
    public static boolean storable(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** @return whether the duration is no longer than {@link #LONGEST} */
    public static boolean notTooLong(Duration duration) {
        return duration.compareTo(LONGEST) <= 0;
    }

    /** @return the range of instants taken, for an error message */
    public static String instantRange() {
        return "from " + EARLIEST + " to " + LATEST;
    }
}
