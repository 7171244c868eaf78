package io.workerrole.role.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.platform.Leadership;
import io.workerrole.role.entity.TaskState;
import io.workerrole.role.entity.TaskStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One background task under supervision: a small state machine advanced by the supervisor's
 * ticks. Only the supervisor thread calls the mutating methods; health checks read the
 * volatile fields through {@link #status()}.
 *
 * <p>A freeze asks a running task to stop for now: lifted before the task has returned (and
 * before it was interrupted), the request is withdrawn and the task carries on. The worker's
 * own stop is for good. A task that returns after having been asked to stop, even by a request
 * since withdrawn, is started again, never taken as completed: it may have returned because of
 * the request. One that throws after the withdrawal has failed, as any other.
 *
 * <p>A singleton task runs only while this server holds its lease ({@link Leadership}): without
 * it the task stands by, and a running one is asked to stop as a freeze asks, with the rest of
 * the lease to do so (it is interrupted once {@link Leadership#stopWithin()} has passed, or the
 * stopping wait time if that is shorter); the request is withdrawn if the lease is renewed
 * first. The lease is wanted while the task runs, and while it would run if it held the lease;
 * {@link SingletonLeases} takes, renews and gives it up accordingly, on a thread of its own.
 */
final class SupervisedTask {

    private static final Logger LOG = Logger.getLogger(SupervisedTask.class.getName());

    private final String name;
    private final BackgroundTask task;
    private final Clock clock;
    /** The singleton task's lease, or null for a task that runs on every server. */
    private final Leadership leadership;

    private volatile TaskState state = TaskState.PENDING;
    private volatile int starts;
    private volatile int restarts;
    private volatile String lastError;
    private int consecutiveFailures;
    private Instant nextStartAt = Instant.MIN;
    /** Whether this server should hold the singleton lease: the task runs, or would run if it held it. */
    private volatile boolean leaseWanted;
    /** Whether the task is to stop for good and leave the supervision (its script was removed or changed). */
    private volatile boolean retired;
    /** Whether a retired singleton's lease has been given up (by {@link SingletonLeases}). */
    private volatile boolean released;
    private boolean retiringStopRequested;

    /** The current execution, or null when not running. */
    private Execution execution;

    /** A task that runs on every server. */
    SupervisedTask(String name, BackgroundTask task, Clock clock) {
        this(name, task, clock, null);
    }

    /** A singleton task, which runs only while this server holds its lease. */
    SupervisedTask(String name, BackgroundTask task, Clock clock, Leadership leadership) {
        this.name = name;
        this.task = task;
        this.clock = clock;
        this.leadership = leadership;
    }

    String name() {
        return name;
    }

    /** @return the singleton task's lease, or null for a task that runs on every server */
    Leadership leadership() {
        return leadership;
    }

    /** @return whether this server should hold the task's singleton lease (read by {@link SingletonLeases}) */
    boolean leaseWanted() {
        return leaseWanted;
    }

    TaskStatus status() {
        return new TaskStatus(name, state, starts, restarts, lastError);
    }

    boolean isRunning() {
        return execution != null && !execution.finished.isDone();
    }

    /** Completes when the current execution (if any) has returned. */
    CompletableFuture<Throwable> finished() {
        return execution == null ? CompletableFuture.completedFuture(null) : execution.finished;
    }

    /** Asks the task to stop for good and leave the supervision: see {@link TaskSupervisor#retire}. */
    void retire() {
        retired = true;
    }

    /** @return whether the task was retired and has stopped: it no longer runs, nor wants its lease */
    boolean retiredAndStopped() {
        return retired && state == TaskState.STOPPED && !leaseWanted;
    }

    /** Records that the retired singleton's lease was given up. */
    void released() {
        released = true;
    }

    /** @return whether the retired task may leave the supervision: stopped, and its lease (if any) given up */
    boolean gone() {
        return retiredAndStopped() && (leadership == null || released);
    }

    /** Advances the state machine by one supervisor tick. */
    void supervise(Instant now, boolean frozen, SupervisionPolicy policy, TaskLauncher launcher) {
        if (retired) {
            superviseRetired(now, policy);
            return;
        }
        boolean hold = frozen && task.holdWhileFrozen();
        boolean standby = leadership != null && !leadership.holds();
        if (execution != null) {
            if (!execution.finished.isDone()) {
                leaseWanted = true; // until it has returned, even when asked to stop
                Duration wait = policy.stoppingWaitTime();
                if (hold) {
                    requestHold(now, "the worker is frozen");
                } else if (standby) {
                    requestHold(now, "this server no longer holds its singleton lease " + leadership.name());
                    wait = shorter(wait, leadership.stopWithin());
                } else {
                    withdrawHold();
                }
                interruptIfOverdue(now, wait);
                return;
            }
            settle(now, policy);
        }
        if (state == TaskState.FAILED || state == TaskState.COMPLETED || state == TaskState.STOPPED) {
            leaseWanted = false;
            return;
        }
        leaseWanted = !hold;
        if (hold) {
            if (state != TaskState.HELD) {
                LOG.info(() -> "Task " + name + " held: the worker is frozen");
            }
            state = TaskState.HELD;
        } else if (standby) {
            if (state != TaskState.STANDBY && state != TaskState.RESTARTING) {
                LOG.info(() -> "Task " + name + " stands by until this server holds its singleton lease " + leadership.name());
                state = TaskState.STANDBY;
            }
        } else if (!now.isBefore(nextStartAt)) {
            start(now, launcher, policy);
        }
    }

    /** A retired task is asked to stop for good, interrupted past the stopping wait time, and then stays stopped. */
    private void superviseRetired(Instant now, SupervisionPolicy policy) {
        if (execution != null && !execution.finished.isDone()) {
            leaseWanted = true; // until it has returned
            if (!retiringStopRequested) {
                retiringStopRequested = true;
                requestStop(now, "it was removed or changed");
            }
            interruptIfOverdue(now, policy.stoppingWaitTime());
            return;
        }
        if (execution != null) {
            boolean interrupted = execution.interrupted;
            execution = null;
            LOG.info(() -> "Task " + name + " stopped" + (interrupted ? " after being interrupted" : "") + ": it was removed or changed");
        }
        state = TaskState.STOPPED;
        leaseWanted = false;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Asks a running task to stop for good (the worker stops); a freeze's request, if one stands,
     * can no longer be withdrawn. It has the stopping wait time before it is interrupted.
     */
    void requestStop(Instant now, String reason) {
        if (!isRunning()) {
            return;
        }
        Execution current = execution;
        if (current.stopRequestedAt == null) {
            current.stopRequestedAt = now;
        }
        current.askedToStop = true;
        current.signal.raise();
        state = TaskState.STOPPING;
        LOG.info(() -> "Task " + name + " asked to stop: " + reason);
    }

    /** Asks a running task to stop for now (a freeze, a lost lease); withdrawn by {@link #withdrawHold()}. */
    private void requestHold(Instant now, String reason) {
        Execution current = execution;
        if (current.stopRequestedAt != null) {
            return;
        }
        current.stopRequestedAt = now;
        current.askedToStop = true;
        current.signal.raiseForNow();
        state = TaskState.STOPPING;
        LOG.info(() -> "Task " + name + " asked to stop: " + reason);
    }

    /**
     * Withdraws a freeze's stop request from a task still running: it carries on. An interrupted
     * task is on its way out and is started again once it has returned instead.
     */
    private void withdrawHold() {
        Execution current = execution;
        if (current.stopRequestedAt == null || current.interrupted || !current.signal.lower()) {
            return;
        }
        // A request made again later gets the whole stopping wait time anew.
        current.stopRequestedAt = null;
        state = TaskState.RUNNING;
        LOG.info(() -> "Task " + name + " carries on: the worker was unfrozen, or its lease renewed, before it stopped");
    }

    /** Interrupts the task if it was asked to stop and has outrun the wait time. */
    void interruptIfOverdue(Instant now, Duration stoppingWaitTime) {
        Execution current = execution;
        if (current == null || current.interrupted || current.stopRequestedAt == null
                || now.isBefore(current.stopRequestedAt.plus(stoppingWaitTime))) {
            return;
        }
        interrupt();
    }

    /**
     * While the worker stops (no more ticks): interrupts a singleton task asked to stop whose
     * lease is no longer held, once {@link Leadership#stopWithin()} has passed since the request,
     * as a tick would.
     *
     * @return true if the task is now interrupted
     */
    boolean interruptIfLeaseLost(Instant now) {
        Execution current = execution;
        if (leadership == null || leadership.holds() || current == null || current.stopRequestedAt == null
                || now.isBefore(current.stopRequestedAt.plus(leadership.stopWithin()))) {
            return false;
        }
        return interrupt();
    }

    /**
     * Interrupts a running task at once.
     *
     * @return true if the task was running and is now interrupted
     */
    boolean interrupt() {
        Execution current = execution;
        if (current == null || current.finished.isDone() || current.interrupted) {
            return false;
        }
        current.interrupted = true;
        LOG.warning(() -> "Task " + name + " did not stop within the stopping wait time: interrupting it");
        if (!current.cancelBeforeStart()) {
            current.future.cancel(true);
        }
        return true;
    }

    /** Marks the task stopped with the worker, unless it is still running (stuck). */
    void markStopped() {
        if (isRunning() || state == TaskState.FAILED || state == TaskState.COMPLETED) {
            return;
        }
        if (execution != null) {
            boolean interrupted = execution.interrupted;
            execution = null;
            LOG.info(() -> "Task " + name + " stopped" + (interrupted ? " after being interrupted" : ""));
        }
        state = TaskState.STOPPED;
    }

    private void start(Instant now, TaskLauncher launcher, SupervisionPolicy policy) {
        boolean restart = state == TaskState.RESTARTING;
        // Counted before the launch, so that the task sees its own restart in its context.
        starts++;
        if (restart) {
            restarts++;
        }
        Execution next = new Execution(now);
        try {
            next.future = launcher.launch(name, () -> next.run(this));
        } catch (RejectedExecutionException e) {
            starts--;
            if (restart) {
                restarts--;
            }
            execution = null;
            fail(now, policy, e, Duration.ZERO);
            return;
        }
        execution = next;
        state = TaskState.RUNNING;
        LOG.info(() -> "Task " + name + (restart ? " restarted (restart " + restarts + ")" : " started"));
    }

    /** Takes stock of an execution that has returned and decides what comes next. */
    private void settle(Instant now, SupervisionPolicy policy) {
        Execution ended = execution;
        execution = null;
        Throwable failure = ended.finished.join();
        if (ended.stopRequestedAt != null) {
            // Asked to stop: whatever it threw on the way out (often an interruption) is expected.
            state = TaskState.PENDING;
            LOG.info(() -> "Task " + name + " stopped" + (ended.interrupted ? " after being interrupted" : ""));
        } else if (failure != null) {
            // How long it ran is taken on its own thread: a late tick must not make a crash look long.
            fail(now, policy, failure, ended.ranFor(now));
        } else if (ended.askedToStop) {
            // It may have seen the request before it was withdrawn, and returned for it.
            state = TaskState.PENDING;
            LOG.info(() -> "Task " + name + " stopped after its stop request was withdrawn: starting it again");
        } else {
            state = TaskState.COMPLETED;
            LOG.info(() -> "Task " + name + " completed");
        }
    }

    private void fail(Instant now, SupervisionPolicy policy, Throwable failure, Duration ran) {
        // A task that ran healthily for longer than the longest backoff starts a new streak.
        if (ran.compareTo(policy.backoff().cap()) > 0) {
            consecutiveFailures = 0;
        }
        consecutiveFailures++;
        lastError = failure.getClass().getName() + ": " + failure.getMessage();
        int max = policy.maxConsecutiveFailures();
        if (max > 0 && consecutiveFailures >= max) {
            state = TaskState.FAILED;
            LOG.log(Level.SEVERE, "Task " + name + " failed " + consecutiveFailures
                    + " times in a row and is given up", failure);
            return;
        }
        Duration delay = policy.backoff().delayAfter(consecutiveFailures);
        nextStartAt = now.plus(delay);
        state = TaskState.RESTARTING;
        LOG.log(Level.SEVERE, "Task " + name + " failed (" + consecutiveFailures
                + " in a row); restarting in " + delay, failure);
    }

    /** One run of the task: its thread's future, its stop signal and how it ended. */
    private static final class Execution implements TaskContext {
        final Instant startedAt;
        final StopSignal signal = new StopSignal();
        final CompletableFuture<Throwable> finished = new CompletableFuture<>();
        /** Set by whichever comes first: the body starting, or a cancellation before it. */
        private final AtomicBoolean claimed = new AtomicBoolean();
        Future<?> future;
        volatile Instant beganAt;
        volatile Instant endedAt;
        /** When the standing stop request was made; null when none stands (never made, or withdrawn). */
        Instant stopRequestedAt;
        /** Whether this execution was ever asked to stop, even by a request since withdrawn. */
        boolean askedToStop;
        volatile boolean interrupted;
        private SupervisedTask owner;

        Execution(Instant startedAt) {
            this.startedAt = startedAt;
        }

        /**
         * Cancels the execution if its body has not begun: a future cancelled before it runs
         * would never report back, so the execution finishes here instead.
         *
         * @return true if the body will never run
         */
        boolean cancelBeforeStart() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            future.cancel(false);
            finished.complete(null);
            return true;
        }

        void run(SupervisedTask owner) {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            this.owner = owner;
            beganAt = owner.clock.instant();
            Throwable failure = null;
            try {
                owner.task.run(this);
            } catch (Throwable t) {
                failure = t;
            } finally {
                endedAt = owner.clock.instant();
                finished.complete(failure);
            }
        }

        /** How long the body ran, on its own thread's clock readings (not the supervisor's ticks). */
        Duration ranFor(Instant now) {
            Instant began = beganAt != null ? beganAt : startedAt;
            return Duration.between(began, endedAt != null ? endedAt : now);
        }

        @Override
        public String taskName() {
            return owner.name;
        }

        @Override
        public boolean stopRequested() {
            return signal.isRaised();
        }

        @Override
        public boolean awaitStop(Duration timeout) throws InterruptedException {
            return signal.await(timeout);
        }

        @Override
        public void onStopChange(Runnable action) {
            signal.onChange(action);
        }

        @Override
        public int restarts() {
            return owner.restarts;
        }
    }
}
