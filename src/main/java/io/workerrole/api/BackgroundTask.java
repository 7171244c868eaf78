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
 *
 * <p>Every server runs every task, unless the task is a {@linkplain #singleton() singleton}:
 * then one server at a time of those sharing the job store runs it.
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

    /**
     * Whether this task runs on one server at a time of those sharing the job store (a
     * singleton), rather than on every server. A singleton runs only on the server that holds its
     * lease, a row of the job store named after the task ({@code task:NAME}) that its holder renews
     * every third of {@code worker.singleton.lease} (15 s by default); the other servers report it
     * {@code STANDBY} in their health and try to take the lease at the same rhythm. What it may rely on:
     * <ul>
     * <li><b>At most one server runs it</b> while the lease holds. A holder that cannot renew it
     * (the database is unreachable, the server stalls) asks its task to stop half a lease after
     * its last renewal began, as a freeze does, and interrupts it a quarter lease later; another
     * server can take the lease over only once the whole lease has passed. The last quarter
     * (3.75 s by default) is the margin, for the servers' clocks to differ by and for the task to
     * let go: return promptly when asked to stop, and when interrupted, and two servers never run
     * it at once.</li>
     * <li><b>Takeover.</b> When its server dies, another server starts it once the lease has
     * lapsed, at its next attempt: within a lease and a third of the last renewal (20 s by
     * default). When its server stops, is undeployed or is frozen, the task is asked to stop as
     * any task is, and once it has returned the lease is given up: another server starts it
     * within a third of a lease, without waiting for the lease to lapse.</li>
     * <li><b>Freeze</b> holds a server, not the work: a frozen server gives the lease up once its
     * task has stopped and takes none while frozen, so an unfrozen server runs the task; only when
     * every server is frozen does it run nowhere. (A singleton that is not {@linkplain
     * #holdWhileFrozen() held while frozen} keeps its lease.)</li>
     * <li>A singleton that returns by itself (completes) or is given up after its failures gives
     * its lease up too: another server then runs it. Each run starts afresh, on whichever server:
     * what must survive a takeover belongs in the database.</li>
     * </ul>
     * On a worker alone on its database (Derby) a singleton simply runs.
     *
     * @return true to run on one server at a time
     */
    default boolean singleton() {
        return false;
    }
}
