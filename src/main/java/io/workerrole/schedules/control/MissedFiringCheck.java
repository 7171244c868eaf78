package io.workerrole.schedules.control;

import java.time.Instant;
import java.util.Optional;

/** Counts the firings of a timetable that fell in a stretch of time when no server ran it. */
final class MissedFiringCheck {

    /** Beyond this many, the count says "or more": a schedule every 100 ms down for a year need not be counted to the end. */
    static final int MAX_COUNTED = 100_000;

    private MissedFiringCheck() {
    }

    /**
     * @param first the first missed firing
     * @param last the last missed firing: the missed entry is recorded at this instant, so that
     *        the schedule's history goes on after it
     * @param more true if there were more than {@code count}
     */
    record Missed(Instant first, Instant last, long count, boolean more) {

        String describe() {
            return count == 1 ? "1 firing missed, due at " + first
                    : count + (more ? " or more" : "") + " firings missed, due from " + first + " to " + last;
        }
    }

    /**
     * @param after the last firing known to have been handled (excluded)
     * @param until the end of the stretch (included)
     * @return the missed firings, or empty if there were none
     */
    static Optional<Missed> between(Timetable timetable, Instant after, Instant until) {
        Optional<Instant> next = timetable.firstAfter(after);
        if (next.isEmpty() || next.get().isAfter(until)) {
            return Optional.empty();
        }
        Instant first = next.get();
        Instant last = first;
        long count = 1;
        for (next = timetable.firstAfter(first); next.isPresent() && !next.get().isAfter(until); next = timetable.firstAfter(next.get())) {
            last = next.get();
            if (++count >= MAX_COUNTED) {
                Optional<Instant> beyond = timetable.firstAfter(last);
                return Optional.of(new Missed(first, last, count, beyond.isPresent() && !beyond.get().isAfter(until)));
            }
        }
        return Optional.of(new Missed(first, last, count, false));
    }
}
