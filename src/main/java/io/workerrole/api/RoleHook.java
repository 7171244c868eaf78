package io.workerrole.api;

/**
 * Start and stop hooks of the worker role, the counterparts of a worker role's OnStart and
 * OnStop. Register one by making it a CDI bean; order several with
 * {@code @jakarta.annotation.Priority} (lower values start first and stop last).
 */
public interface RoleHook {

    /**
     * Runs when the application starts, before any background task, once the freeze flag lets
     * it (while {@code worker.freeze} is true the start waits). The worker reports itself ready
     * only after every hook has returned true. A start that failed runs again when an admin sets
     * the freeze and lifts it: then the hooks that had started are stopped first, and every hook
     * runs again, so a hook must be safe to run again after its {@link #onStop()}.
     *
     * @return false to refuse to start: the worker then stays not-ready and not-live, so an
     *         orchestrator restarts it (unless the freeze holds it)
     * @throws Exception treated like returning false, and logged
     */
    default boolean onStart() throws Exception {
        return true;
    }

    /**
     * Runs once when the application stops, after background tasks have been stopped (or
     * interrupted), in the reverse order of {@link #onStart()}. Only hooks whose start
     * succeeded are stopped.
     *
     * @throws Exception logged; the other hooks still run
     */
    default void onStop() throws Exception {
    }
}
