package io.workerrole.role.control;

import java.util.concurrent.Future;

/** Starts a task's body on its own thread; cancelling the future with true interrupts it. */
@FunctionalInterface
public interface TaskLauncher {

    /**
     * @param taskName the task's name, to label the thread
     * @param body what to run
     * @return the running execution
     */
    Future<?> launch(String taskName, Runnable body);
}
