package io.workerrole.schedules.control;

import java.time.Instant;
import java.util.Optional;

/** One firing, at an instant. */
record OnceTimetable(Instant at) implements Timetable {

    @Override
    public Optional<Instant> firstAfter(Instant after) {
        return at.isAfter(after) ? Optional.of(at) : Optional.empty();
    }
}
