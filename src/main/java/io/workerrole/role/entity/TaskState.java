package io.workerrole.role.entity;

/** The state of one supervised background task. */
public enum TaskState {
    /** Registered, waiting for its first start. */
    PENDING,
    /** Running on a managed thread. */
    RUNNING,
    /** Asked to stop (freeze, shutdown, or its singleton lease is no longer held), still running; back to RUNNING if a freeze is lifted first. */
    STOPPING,
    /** Not running because the worker is frozen; starts again on unfreeze. */
    HELD,
    /** A singleton task not running here: another server holds its lease (or none does yet); starts once this server takes it. */
    STANDBY,
    /** Failed; waiting out its backoff before the next start. */
    RESTARTING,
    /** Failed too many times in a row; given up. */
    FAILED,
    /** Returned on its own, without ever being asked to stop; not restarted. */
    COMPLETED,
    /** Stopped with the worker. */
    STOPPED
}
