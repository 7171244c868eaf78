package io.workerrole.role.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.platform.Leadership;
import io.workerrole.role.entity.TaskStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Supervises the registered background tasks: starts them, restarts failed ones with backoff,
 * holds them while the worker is frozen and stops them when the worker stops. It does nothing
 * by itself; the role's run loop calls {@link #supervise} on every tick. A singleton task runs
 * only while this server holds its lease, which {@link SingletonLeases} keeps on a thread of its
 * own, launched on the first tick (and again should it ever end).
 */
public final class TaskSupervisor {

    private static final Logger LOG = Logger.getLogger(TaskSupervisor.class.getName());

    private final Clock clock;
    private final TaskLauncher launcher;
    private final List<SupervisedTask> tasks = new CopyOnWriteArrayList<>();
    private final List<SupervisedTask> singletons = new CopyOnWriteArrayList<>();
    /** The policy of the last tick, for the keeping of the leases between ticks. */
    private volatile SupervisionPolicy lastPolicy;
    private final SingletonLeases leases = new SingletonLeases(singletons, () -> lastPolicy.singletonLease());
    private Future<?> leaseKeeping;
    private boolean stopping;

    public TaskSupervisor(Clock clock, TaskLauncher launcher) {
        this.clock = clock;
        this.launcher = launcher;
    }

    /**
     * Adds a task; it starts on the next tick.
     *
     * @throws IllegalArgumentException if a task of that name is already registered
     */
    public void register(String name, BackgroundTask task) {
        add(new SupervisedTask(name, task, clock));
    }

    /**
     * Adds a singleton task, which runs only while this server holds its lease.
     *
     * @throws IllegalArgumentException if a task of that name is already registered
     */
    public void registerSingleton(String name, BackgroundTask task, Leadership leadership) {
        SupervisedTask singleton = new SupervisedTask(name, task, clock, leadership);
        add(singleton);
        singletons.add(singleton);
    }

    /**
     * Asks a task to stop for good and leave the supervision, for work that comes and goes while
     * the worker runs (a continuous script removed or changed): it is asked to stop as the
     * worker's stop asks, interrupted past the stopping wait time, and once it has returned (and
     * a singleton's lease is given up) its name is free for {@link #register} again.
     *
     * @return false if no task of that name is registered
     */
    public boolean retire(String name) {
        Optional<SupervisedTask> task = tasks.stream().filter(t -> t.name().equals(name)).findFirst();
        task.ifPresent(SupervisedTask::retire);
        return task.isPresent();
    }

    /** @return whether a task of that name is registered (a retired one until it has left) */
    public boolean registered(String name) {
        return tasks.stream().anyMatch(t -> t.name().equals(name));
    }

    private void add(SupervisedTask task) {
        if (tasks.stream().anyMatch(t -> t.name().equals(task.name()))) {
            throw new IllegalArgumentException("Two background tasks are named " + task.name()
                    + "; give one of them another @Named name");
        }
        tasks.add(task);
    }

    /** @return a snapshot of every task, in registration order */
    public List<TaskStatus> statuses() {
        return tasks.stream().map(SupervisedTask::status).toList();
    }

    /**
     * One supervision tick: advances every task's state machine.
     *
     * @param frozen whether the freeze flag is set
     * @param policy the current settings
     */
    public synchronized void supervise(boolean frozen, SupervisionPolicy policy) {
        if (stopping) {
            return;
        }
        lastPolicy = policy;
        Instant now = clock.instant();
        for (SupervisedTask task : tasks) {
            try {
                task.supervise(now, frozen, policy, launcher);
            } catch (RuntimeException e) {
                // One task's trouble must not stop the supervision of the others.
                LOG.log(Level.SEVERE, "Supervising task " + task.name() + " failed", e);
            }
        }
        tasks.removeIf(SupervisedTask::gone);
        singletons.removeIf(SupervisedTask::gone);
        keepLeases();
    }

    /** Launches the keeping of the singleton leases if it is not under way (first tick, or it ended). */
    private void keepLeases() {
        if (singletons.isEmpty() || leaseKeeping != null && !leaseKeeping.isDone()) {
            return;
        }
        if (leaseKeeping != null) {
            LOG.severe("The keeping of the singleton leases ended: starting it again");
        }
        try {
            leaseKeeping = launcher.launch("singleton-leases", leases);
        } catch (RejectedExecutionException e) {
            // Without it no lease is renewed: the singletons stand by, and the next tick tries again.
            LOG.log(Level.WARNING, "Could not launch the keeping of the singleton leases", e);
        }
    }

    /**
     * Stops every task for good: asks the running ones to stop, waits up to {@code wait} for
     * them, interrupts those still running, then waits up to {@code grace} for those to return.
     */
    public StopReport stop(Duration wait, Duration grace) {
        List<SupervisedTask> running;
        List<CompletableFuture<Throwable>> executions;
        synchronized (this) {
            stopping = true;
            Instant now = clock.instant();
            running = tasks.stream().filter(SupervisedTask::isRunning).toList();
            running.forEach(t -> t.requestStop(now, "the worker is stopping"));
            executions = running.stream().map(SupervisedTask::finished).toList();
        }
        int interrupted = 0;
        // Waited for a slice at a time: a singleton whose lease can no longer be renewed while it
        // drains (the database went away) is interrupted as a tick would, not after the whole wait.
        long deadline = System.nanoTime() + wait.toNanos();
        boolean drained;
        while (!(drained = awaitAll(executions, slice(deadline))) && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                Instant now = clock.instant();
                for (SupervisedTask task : running) {
                    interrupted += task.interruptIfLeaseLost(now) ? 1 : 0;
                }
            }
        }
        if (!drained) {
            synchronized (this) {
                for (SupervisedTask task : running) {
                    interrupted += task.interrupt() ? 1 : 0;
                }
            }
            awaitAll(executions, grace);
        }
        synchronized (this) {
            int stuck = (int) running.stream().filter(SupervisedTask::isRunning).count();
            tasks.forEach(SupervisedTask::markStopped);
            // Kept while the tasks drained: given up only now, so that no other server starts one beside them.
            leases.close();
            return new StopReport(running.size(), interrupted, stuck);
        }
    }

    /** @return the time left until the deadline, at most a pass of the lease keeping */
    private static Duration slice(long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(left, SingletonLeases.PASS.toNanos()));
    }

    private static boolean awaitAll(List<CompletableFuture<Throwable>> executions, Duration timeout) {
        try {
            CompletableFuture.allOf(executions.toArray(CompletableFuture[]::new))
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // executions complete normally with their failure as value; unreachable
        }
    }
}
