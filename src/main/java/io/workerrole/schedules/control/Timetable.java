package io.workerrole.schedules.control;

import java.time.Instant;
import java.util.Optional;

/** When a schedule fires: pure time arithmetic, no clock of its own, so it is tested on fixed instants. */
public interface Timetable {

    /**
     * @param after an instant
     * @return the first firing strictly after it, or empty if the timetable has no more
     */
    Optional<Instant> firstAfter(Instant after);
}
