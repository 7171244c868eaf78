package io.workerrole.api;

/**
 * What a schedule does about firings that fell while no server ran it (all servers stopped, or
 * the store was unreachable). Either way the missed firings are recorded in its history.
 */
public enum MissedFirings {
    /** Run once now for all the missed firings together, then go on at the next firing. */
    RUN_ONCE,
    /** Run nothing for them; go on at the next firing. */
    SKIP
}
