package io.workerrole.api;

import java.time.Duration;

/** What a running {@link BackgroundTask} can ask of the worker role. */
public interface TaskContext {

    /** @return the task's name, as shown in health reports and logs */
    String taskName();

    /**
     * Whether the worker asks this task to stop: the server stops, the application is undeployed
     * or the worker is frozen. The task should finish its current unit of work and return.
     *
     * <p>A request made for a freeze is withdrawn if the freeze is lifted before the task has
     * returned (and before the stopping wait time ran out and the task was interrupted): this
     * then reads false again and the task may carry on, as if never asked. A task that waits for
     * its work to drain after a request should go on checking this, and go back to work when it
     * turns false. A request made because the worker stops is never withdrawn. A task that
     * returns after a freeze's request, even one since withdrawn, is started again once the
     * worker is unfrozen.
     *
     * @return true while a stop request stands
     */
    boolean stopRequested();

    /**
     * Waits until stop is requested or the timeout passes, whichever comes first. Use it
     * instead of {@code Thread.sleep} between units of work.
     *
     * @param timeout the longest time to wait
     * @return true if stop was requested during the wait (or before it). A freeze's request may
     *         have been withdrawn since: a task that does more than return should check
     *         {@link #stopRequested()} again
     * @throws InterruptedException if the thread is interrupted (the wait time ran out)
     */
    boolean awaitStop(Duration timeout) throws InterruptedException;

    /**
     * Registers an action to run each time {@link #stopRequested()} changes: a stop is requested
     * or withdrawn. It is for tasks that wait on something of their own rather than on
     * {@link #awaitStop(Duration)}, to wake themselves up; it runs on the worker's supervising
     * thread, so it must be quick and must not block. The worker's contexts always run it; the
     * default, for contexts made outside the worker (a test's), never does.
     *
     * @param action run after each change
     */
    default void onStopChange(Runnable action) {
    }

    /** @return how many times this task has been restarted after a failure */
    int restarts();
}
