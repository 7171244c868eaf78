package io.workerrole.role.entity;

/** Where the worker role is in its life, as health reports show it. */
public enum RolePhase {
    /** Start hooks are running; the worker is not ready. */
    STARTING,
    /**
     * The freeze flag holds the role before its start hooks run, at first or again after a failed
     * start: they wait until it is lifted. The worker is not ready, but live.
     */
    START_HELD,
    /**
     * A start hook refused or failed; the worker will not run until restarted, or until a freeze
     * is set and lifted again (then the start is tried again). Not live.
     */
    START_FAILED,
    /** Background tasks are supervised and work is taken in (unless frozen). */
    RUNNING,
    /** Stop was requested: no new work; running work is drained. */
    STOPPING,
    /** Everything has stopped. */
    STOPPED;

    /** @return true once start hooks have all succeeded */
    public boolean hasStarted() {
        return this == RUNNING || this == STOPPING || this == STOPPED;
    }
}
