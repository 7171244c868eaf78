package io.workerrole.schedules.entity;

/** What became of one firing of a schedule. */
public enum FiringOutcome {
    /** A job was started; the firing names it. */
    RAN,
    /** Not run: the previous run had not finished (no overlap). */
    SKIPPED_OVERLAP,
    /** Not run: the worker was frozen. */
    SKIPPED_FROZEN,
    /**
     * Firings that fell while no server ran the schedule, recorded once for all of them; the
     * firing names a job if the missed-firings policy ran one.
     */
    MISSED
}
