package io.workerrole.api;

/** Where a run of a {@link Pipeline} is. */
public enum PipelineRunState {
    /** Its steps run, one after another. */
    RUNNING,
    /** A step died, passed its deadline or the run was cancelled: what succeeded is being undone. */
    COMPENSATING,
    /** Every step succeeded; the result is the last step's. */
    SUCCEEDED,
    /** A step died and the compensations of the steps before it all succeeded. */
    COMPENSATED,
    /** Cancelled; what had succeeded was compensated. */
    CANCELLED,
    /** A compensation died: the step it was to undo is named, its job is in the dead letters. */
    COMPENSATION_FAILED;

    /** @return true for the states a run ends in */
    public boolean isFinal() {
        return this == SUCCEEDED || this == COMPENSATED || this == CANCELLED || this == COMPENSATION_FAILED;
    }
}
