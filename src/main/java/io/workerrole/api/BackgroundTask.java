package io.workerrole.api;

/**
 * A long-running piece of background work that the worker role supervises: it is started when
 * the role runs, restarted with backoff when it throws, held while the worker is frozen and
 * asked to stop when the worker stops.
 *
 * <p>Register one by making it a CDI bean, for example {@code @ApplicationScoped}. Its name in
 * health reports and logs is its {@code @Named} name, or else its class's simple name.
 *
 * <p>A well-behaved task loops until {@link TaskContext#stopRequested()} and waits with
 * {@link TaskContext#awaitStop(java.time.Duration)} rather than {@code Thread.sleep}, so that it
 * stops promptly. A task that ignores the request is interrupted once the stopping wait time
 * has passed. A freeze lifted before then withdraws its request and the task may carry on
 * (see {@link TaskContext#stopRequested()}). Returning normally without ever having been asked
 * to stop ends the task for good; one that returns after a freeze's request, even one since
 * withdrawn, is started again once the worker is unfrozen.
 */
@FunctionalInterface
public interface BackgroundTask {

    /**
     * Does the work. Throwing counts as a failure and the task is restarted after a backoff.
     *
     * @param context the task's view of the worker: stop requests, restarts
     * @throws Exception any failure; it is logged with the task's name
     */
    void run(TaskContext context) throws Exception;

    /**
     * Whether the freeze flag holds this task. Work tasks are held (the default); plumbing that
     * running work depends on, such as lease renewal, is not.
     *
     * @return true to be stopped while the worker is frozen and started again on unfreeze
     */
    default boolean holdWhileFrozen() {
        return true;
    }
}
