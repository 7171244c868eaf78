package io.workerrole.role.boundary;

import io.workerrole.api.BackgroundTask;
import io.workerrole.platform.Backoff;
import io.workerrole.platform.ClusterLease;
import io.workerrole.platform.Leadership;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.role.control.Beans;
import io.workerrole.role.control.FreezeSwitch;
import io.workerrole.role.control.ManagedTaskLauncher;
import io.workerrole.role.control.RoleHooks;
import io.workerrole.role.control.SettledValue;
import io.workerrole.role.control.StartAttempts;
import io.workerrole.role.control.StartProblems;
import io.workerrole.role.control.StopReport;
import io.workerrole.role.control.StopSignal;
import io.workerrole.role.control.SupervisionPolicy;
import io.workerrole.role.control.TaskSupervisor;
import io.workerrole.role.entity.Hold;
import io.workerrole.role.entity.RolePhase;
import io.workerrole.role.entity.TaskStatus;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker role's lifecycle: the counterpart of a cloud worker role's OnStart, Run and OnStop.
 * <ul>
 * <li>{@link #start()} runs the start hooks; the worker is not ready until they all succeed. While
 * the freeze flag holds the role they wait (it stays live); a start that failed is tried again
 * when a freeze set after it is lifted.</li>
 * <li>{@link #run()} supervises the background tasks on a managed thread, one tick at a time,
 * following the freeze flag.</li>
 * <li>{@link #stop()} takes no new work, stops the tasks within the stopping wait time
 * (interrupting the ones that outrun it) and runs the stop hooks.</li>
 * </ul>
 */
@ApplicationScoped
public class RoleLifecycle {

    /** How often the supervisor looks at tasks and the freeze flag. */
    static final Duration TICK = Duration.ofMillis(250);
    /** How long a changed stopping wait time must hold before it applies (see SettledValue). */
    static final Duration SETTLE_TIME = Duration.ofSeconds(5);
    /** A singleton task's lease is named after it, apart from other work under leases (job-retention). */
    static final String SINGLETON_LEASE_PREFIX = "task:";
    /** How long interrupted tasks get to return before stop gives up on them. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);
    /** How long a change of the freeze flag must hold before a start waiting on it counts it (see StartAttempts). */
    static final Duration START_SETTLE_TIME = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(RoleLifecycle.class.getName());

    @Resource
    ManagedExecutorService executor;

    @Inject
    RoleHooks hooks;

    @Inject
    FreezeSwitch freeze;

    @Inject
    StartProblems startProblems;

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    @Inject
    ClusterLease leases;

    @Inject
    @Any
    Instance<BackgroundTask> backgroundTasks;

    private final StopSignal stopSignal = new StopSignal();
    private volatile RolePhase phase = RolePhase.STARTING;
    private volatile TaskSupervisor supervisor;
    private volatile boolean supervisorAlive;
    private volatile Future<?> lifecycle;
    private volatile StartAttempts startAttempts;
    private final SettledValue<Duration> stoppingWaitTime = new SettledValue<>(SETTLE_TIME);

    void onStartup(@Observes Startup event) {
        // Start and run on a managed thread, so the application finishes deploying and health
        // can report STARTING while the start hooks work.
        lifecycle = executor.submit(() -> {
            if (start()) {
                run();
            }
        });
    }

    void onShutdown(@Observes Shutdown event) {
        stop();
    }

    /** @return the current phase */
    public RolePhase phase() {
        return phase;
    }

    /** @return how many times the start hooks were run: more than once when a freeze held a failed start */
    public int startAttempts() {
        StartAttempts current = startAttempts;
        return current == null ? 0 : current.attempts();
    }

    /**
     * Reports what stops the worker from starting, for a start hook to refuse the start with: it
     * is logged by the hook, shown at {@code /api/role} and cleared when a start is tried again.
     */
    public void reportStartProblem(String problem) {
        startProblems.report(problem);
    }

    /** @return whether this start attempt has found a problem so far (the developer classes CDI left out among them) */
    public boolean hasStartProblems() {
        return startProblems.any();
    }

    /** @return whether the worker is frozen: by its freeze flag, or by a hold on the whole fleet */
    public boolean frozen() {
        return freeze.isFrozen();
    }

    /** @return whether {@code worker.freeze} holds this server (it may also be held with the fleet) */
    public boolean frozenByFlag() {
        return freeze.flag();
    }

    /** @return the operator's hold on the whole fleet in force now, if any */
    public Optional<Hold> fleetHold() {
        return freeze.fleetHold();
    }

    /**
     * @return the job types this server claims no job of now: its {@code worker.freeze.types} and
     *         the types an operator holds on the whole fleet
     */
    public SortedSet<String> heldTypes() {
        return freeze.heldTypes();
    }

    /** @return whether new work may start now: running and not frozen */
    public boolean acceptingWork() {
        return phase == RolePhase.RUNNING && !freeze.isFrozen();
    }

    /** @return whether the supervisor loop is alive (it always is while RUNNING) */
    public boolean supervisorAlive() {
        return phase != RolePhase.RUNNING || supervisorAlive;
    }

    /** @return a snapshot of every supervised task */
    public List<TaskStatus> tasks() {
        TaskSupervisor current = supervisor;
        return current == null ? List.of() : current.statuses();
    }

    /**
     * Adds a background task while the worker runs, for work that comes and goes with the
     * server's files (a continuous script): supervised as the beans are, from the next tick.
     *
     * @return false if the role is not running, or a task of that name is still registered (a
     *         retired one that has not yet stopped): try again later
     */
    public boolean addTask(String name, BackgroundTask task) {
        TaskSupervisor current = supervisor;
        if (current == null || phase != RolePhase.RUNNING || current.registered(name)) {
            return false;
        }
        register(current, name, task);
        return true;
    }

    /**
     * Stops a task added by {@link #addTask} for good and removes it once it has returned (see
     * {@link TaskSupervisor#retire}).
     */
    public void retireTask(String name) {
        TaskSupervisor current = supervisor;
        if (current != null) {
            current.retire(name);
        }
    }

    /** @return whether a task of that name is registered (a retired one until it has stopped) */
    public boolean hasTask(String name) {
        TaskSupervisor current = supervisor;
        return current != null && current.registered(name);
    }

    /**
     * OnStart: runs the start hooks once the freeze flag lets them ({@link StartAttempts}), and
     * registers the background tasks. Returns when they have succeeded, or when stop is requested.
     *
     * @return true if the role started
     */
    boolean start() {
        LOG.info("Worker role starting");
        StartAttempts attempts = new StartAttempts(clock, START_SETTLE_TIME);
        startAttempts = attempts;
        // Before the first look at the freeze: a server started while the fleet is frozen starts held.
        freeze.readFleetNow();
        try {
            while (!stopSignal.isRaised()) {
                boolean frozen = freeze.refresh();
                StartAttempts.Next next = attempts.next(freeze.isSet() ? frozen : null);
                show(attempts.phase());
                if (next == StartAttempts.Next.RUN_HOOKS) {
                    if (attempts.attempts() > 1) {
                        LOG.info(() -> "Worker role unfrozen: trying its start again (attempt " + attempts.attempts() + ")");
                    }
                    if (hooks.startAll()) {
                        registerTasks();
                        return true;
                    }
                    attempts.failed();
                    show(attempts.phase());
                    LOG.severe("Worker role failed to start: it is not live, so that an orchestrator restarts it. To stop a restart "
                            + "loop, set worker.freeze=true (the role stays live and waits), fix the cause, then set it back to false: "
                            + "the start is tried again");
                } else {
                    stopSignal.await(TICK);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("Worker role start interrupted");
        }
        return false;
    }

    /** Shows a phase of the start, unless stop has begun (its phases win). */
    private synchronized void show(RolePhase startPhase) {
        if (stopSignal.isRaised() || startPhase == phase) {
            return;
        }
        if (startPhase == RolePhase.START_HELD) {
            LOG.info("Worker role start held: " + freeze.why(freeze.fleetHold()) + ". The start hooks wait until it is lifted");
        }
        phase = startPhase;
    }

    private void registerTasks() {
        TaskSupervisor tasks = new TaskSupervisor(clock, new ManagedTaskLauncher(executor));
        backgroundTasks.handlesStream()
                .sorted(Comparator.comparing(h -> Beans.nameOf(h.getBean())))
                .forEach(h -> register(tasks, Beans.nameOf(h.getBean()), h.get()));
        supervisor = tasks;
    }

    private void register(TaskSupervisor tasks, String name, BackgroundTask task) {
        if (task.singleton()) {
            tasks.registerSingleton(name, task, new Leadership(leases, SINGLETON_LEASE_PREFIX + name, settings.serverId(), clock));
        } else {
            tasks.register(name, task);
        }
    }

    /** Run: supervises the background tasks until stop is requested. */
    void run() {
        supervisorAlive = true;
        try {
            if (stopSignal.isRaised()) {
                // Stopped while the start hooks ran: launch nothing. (While the server shuts
                // down, its executor refuses tasks and the freeze flag reads its default.)
                return;
            }
            tick(); // the tasks are launched before the role reports itself running
            synchronized (this) {
                if (stopSignal.isRaised()) {
                    return;
                }
                phase = RolePhase.RUNNING;
            }
            LOG.info(() -> "Worker role running " + supervisor.statuses().size() + " background task(s): "
                    + supervisor.statuses().stream().map(TaskStatus::name).toList());
            while (!stopSignal.isRaised()) {
                tick();
                stopSignal.await(TICK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("Worker role supervisor interrupted");
        } finally {
            supervisorAlive = false;
        }
    }

    private void tick() {
        try {
            boolean frozen = freeze.refresh();
            supervisor.supervise(frozen, policy());
        } catch (RuntimeException e) {
            // Keep supervising: a bad tick (a setting that cannot be read, say) must not end it.
            LOG.log(Level.SEVERE, "Worker role supervisor tick failed", e);
        }
    }

    private SupervisionPolicy policy() {
        SupervisionPolicy policy = new SupervisionPolicy(settings.stoppingWaitTime(),
                Backoff.doubling(settings.restartBackoff(), settings.maxRestartBackoff()),
                settings.maxConsecutiveFailures(), settings.singletonLease());
        stoppingWaitTime.update(policy.stoppingWaitTime(), clock.instant());
        return policy;
    }

    /** OnStop: no new work, tasks drained within the stopping wait time, then stop hooks. */
    void stop() {
        synchronized (this) {
            if (phase == RolePhase.STOPPING || phase == RolePhase.STOPPED) {
                return;
            }
            phase = RolePhase.STOPPING;
            stopSignal.raise();
        }
        long began = System.nanoTime();
        // The value the supervisor settled on: while the server shuts down, server.xml variables
        // read as their defaults, and the admin's setting must still apply.
        Duration wait = stoppingWaitTime.get() != null ? stoppingWaitTime.get() : settings.stoppingWaitTime();
        LOG.info(() -> "Worker role stopping: waiting up to " + wait + " for running work");
        awaitLifecycleThread(wait);
        TaskSupervisor tasks = supervisor;
        StopReport report = tasks == null ? new StopReport(0, 0, 0) : tasks.stop(wait, INTERRUPT_GRACE);
        hooks.stopAll();
        phase = RolePhase.STOPPED;
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        String summary = "Worker role stopped in " + tookMs + " ms (stopping wait time " + wait + "): "
                + report.drained() + " task(s) finished, " + report.interrupted() + " interrupted, "
                + report.stuck() + " did not stop";
        if (report.stuck() > 0) {
            LOG.severe(summary);
        } else {
            LOG.info(summary);
        }
    }

    /** Waits for the run loop to leave (it does within a tick) or for start hooks to give up. */
    private void awaitLifecycleThread(Duration wait) {
        Future<?> current = lifecycle;
        if (current == null) {
            return;
        }
        try {
            current.get(wait.toMillis() + TICK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warning("Worker role start hooks still running at stop: interrupting them");
            current.cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "Worker role lifecycle thread failed", e);
        }
    }
}
