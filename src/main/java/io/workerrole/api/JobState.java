package io.workerrole.api;

/** The states of a job. Transitions are recorded with their time. */
public enum JobState {
    /** Accepted and waiting for a worker. */
    QUEUED,
    /** Accepted with a run time ({@code runAt} or {@code delay}) still to come; then QUEUED. */
    SCHEDULED,
    /** A worker runs it. */
    RUNNING,
    /** Done; the result is recorded. */
    SUCCEEDED,
    /** An attempt failed; it will be retried at its next attempt time. */
    FAILED,
    /** Gave up: attempts exhausted, not retryable, or poison. */
    DEAD,
    /** Cancelled by an admin. */
    CANCELLED,
    /** Invalid input; never ran. */
    REJECTED;

    /** @return true for states a job never leaves on its own */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED || this == REJECTED;
    }
}
