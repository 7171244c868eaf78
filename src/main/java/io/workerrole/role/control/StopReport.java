package io.workerrole.role.control;

/**
 * How stopping the background tasks went.
 *
 * @param running tasks that were running when stop began
 * @param interrupted of those, tasks interrupted because they outran the stopping wait time
 * @param stuck of those, tasks still running even after the interruption
 */
public record StopReport(int running, int interrupted, int stuck) {

    /** @return tasks that stopped by themselves within the wait time */
    public int drained() {
        return running - interrupted;
    }
}
