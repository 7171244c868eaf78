package io.workerrole.api;

import java.time.Duration;

/** What a running {@link BackgroundTask} can ask of the worker role. */
public interface TaskContext {

    /** @return the task's name, as shown in health reports and logs */
    String taskName();

    /**
     * @return true once the worker has asked this task to stop (server stop, undeploy or
     *         freeze); the task should finish its current unit of work and return
     */
    boolean stopRequested();

    /**
     * Waits until stop is requested or the timeout passes, whichever comes first. Use it
     * instead of {@code Thread.sleep} between units of work.
     *
     * @param timeout the longest time to wait
     * @return true if stop was requested
     * @throws InterruptedException if the thread is interrupted (the wait time ran out)
     */
    boolean awaitStop(Duration timeout) throws InterruptedException;

    /** @return how many times this task has been restarted after a failure */
    int restarts();
}
