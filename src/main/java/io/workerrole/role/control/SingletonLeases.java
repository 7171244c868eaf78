package io.workerrole.role.control;

import io.workerrole.platform.Leadership;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the leases of the singleton tasks, four times a second, on a thread of its own: the
 * database may be slow or gone, and the supervision of the tasks (freeze, stop, interrupts,
 * and stopping a singleton whose lease was not renewed in time) must never wait for it. Each
 * lease is wanted as its task says ({@link SupervisedTask#leaseWanted()}); its supervisor gives
 * them up for good once the tasks have stopped with the worker ({@link #close()}).
 */
final class SingletonLeases implements Runnable {

    /** How often the leases are looked at; an attempt is made only when one is due. */
    static final Duration PASS = Duration.ofMillis(250);
    private static final Logger LOG = Logger.getLogger(SingletonLeases.class.getName());

    private final List<SupervisedTask> tasks;
    private final Supplier<Duration> lease;
    private final StopSignal closed = new StopSignal();

    /**
     * @param tasks the singleton tasks
     * @param lease how long a lease lasts, read at every pass so that an admin's change applies
     */
    SingletonLeases(List<SupervisedTask> tasks, Supplier<Duration> lease) {
        this.tasks = tasks;
        this.lease = lease;
    }

    @Override
    public void run() {
        try {
            do {
                keep();
            } while (!closed.await(PASS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass over the leases. */
    void keep() {
        Duration current = lease.get();
        for (SupervisedTask task : tasks) {
            try {
                if (task.retiredAndStopped()) {
                    task.leadership().close();
                    task.released();
                    continue;
                }
                task.leadership().keep(task.leaseWanted(), current);
            } catch (RuntimeException e) {
                // One lease's trouble must not keep the others from being renewed.
                LOG.log(Level.SEVERE, "Keeping the lease of task " + task.name() + " failed", e);
            }
        }
    }

    /**
     * Ends the passes and gives up the lease of every task that has returned, so that another
     * server starts it at once. A task that did not stop even when interrupted keeps its lease
     * until it lapses: another server must not start it beside it before then.
     */
    void close() {
        closed.raise();
        for (SupervisedTask task : tasks) {
            if (task.isRunning()) {
                LOG.warning(() -> "Task " + task.name() + " did not stop: its lease " + task.leadership().name()
                        + " is left to lapse");
            } else {
                task.leadership().close();
            }
        }
    }
}
