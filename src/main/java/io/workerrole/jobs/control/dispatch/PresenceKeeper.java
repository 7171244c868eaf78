package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.JobSettings.Takeover;
import io.workerrole.jobs.control.store.JobLeases;
import io.workerrole.jobs.entity.Job;
import io.workerrole.platform.Backoff;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.ServerPresence;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WorkerDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedExecutors;
import jakarta.enterprise.concurrent.ManagedTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes over the running jobs of a server that died within seconds, on PostgreSQL, without
 * renewing leases more often: each server holds its presence lock in the job store while it lives
 * ({@link ServerPresence}), and every {@value #LOOK_MILLIS} ms looks for servers whose lock is free.
 * One whose lock stays free for {@link #GRACE} is gone: its running jobs are queued again at once,
 * to resume from their checkpoints as after a lapsed lease (the same history, the attempt
 * counted), with its lock taken for that transaction so it cannot come back half-way. A look is
 * one query (the servers whose lock nobody holds, read from {@code pg_locks}: under a millisecond),
 * so looking four times a second costs next to nothing, and PostgreSQL has no notice of a session's
 * end to listen for instead. After a {@code kill -9} the jobs run again elsewhere within the grace,
 * a look and the process's exit: 3 s or so on a busy 2-core machine (TakeoverIT).
 *
 * <p><b>Nothing runs twice because of it.</b> A server can lose its presence and live on: the
 * database restarted, the pool dropped the connection, a network broke. Then:
 * <ul>
 * <li>it claims nothing until it holds its lock again ({@link #claimsAllowed()}), for a job it
 * claimed meanwhile could be taken from it;</li>
 * <li>it finds out soon enough: its session, looked at every {@value #LOOK_MILLIS} ms on a thread of
 * its own ({@link PresenceHolder}), fails at once when the database ended it (found within two
 * looks, where the others wait the grace after they first see the lock free); a session that
 * stops answering without failing (a network that broke without closing it) counts as lost
 * after {@link #CONFIRMED_WITHIN} and {@link #SILENCE} more, about 3 s, where PostgreSQL frees the
 * lock only once the session's keepalives give up, about 6 s, and the others wait the grace on top.
 * It then hands its running jobs back as a
 * stop does: their handlers are told and interrupted, and each goes back to the queue (not
 * counted as an attempt) from its last checkpoint, to run here or elsewhere;</li>
 * <li>an outcome or a checkpoint it writes after all is fenced: the job store takes a running
 * job's writes only from its owner, in the attempt it claimed ({@code JobOutcomes}), so nothing
 * the server records lands once its job was taken over, nor when the job came back to it as a
 * new attempt.</li>
 * </ul>
 * What remains is the at-least-once the README states for a killed server: a handler that was
 * running when its server died, or that ignores its cancellation for longer than the grace, runs
 * again from its last checkpoint.
 *
 * <p><b>Where the lease stays the rule</b>: on Derby (a single server); with {@code
 * worker.takeover=lease}, where session locks mean nothing (behind PgBouncer in transaction or
 * statement mode: a server that finds its connection changing sessions goes over to leases by
 * itself and says so); and for servers of earlier versions during a rolling upgrade. A server on
 * leases has no presence row, so its free lock is never taken for a death. The lease is also the
 * fallback everywhere: a server whose host vanished without closing its connection is found by
 * PostgreSQL's keepalives, or at worst by its lapsed leases ({@link LeaseKeeper}).
 *
 * <p>Not held by a freeze: a frozen server's running jobs need its presence as they need their
 * leases, and a frozen server takes over the jobs of dead ones for the others. When the server
 * stops it keeps its presence until its running jobs have ended or gone back to the queue.
 */
@ApplicationScoped
@Named("server-presence")
public class PresenceKeeper implements BackgroundTask {

    static final long LOOK_MILLIS = 250;
    /** How often this server looks at its own session and at the others' locks. */
    static final Duration LOOK = Duration.ofMillis(LOOK_MILLIS);
    /** How recently this server's session must have answered for the server to claim jobs: a look, and a second for the answer. */
    static final Duration CONFIRMED_WITHIN = LOOK.plusSeconds(1);
    /**
     * How much longer a session that stopped answering, without failing, may stay silent before
     * the server takes it for lost and hands its jobs back; counted over this keeper's own looks
     * that came on time only. A look that came late says the whole process was held up (a long
     * garbage collection, a starved processor), and then the session's silence says nothing of
     * the network: the session still holds its lock, and no one can take over.
     */
    static final Duration SILENCE = Duration.ofSeconds(2);
    /**
     * How long a server's lock must stay free before it is taken for gone: longer than a server
     * whose session the database ended needs to notice it (two looks) and hand its jobs back.
     */
    static final Duration GRACE = Duration.ofSeconds(2);
    /** How long a session that ends is given to give its lock up before its connection is aborted. */
    private static final Duration END_WAIT = Duration.ofMillis(200);
    /**
     * Between failed attempts at holding the lock (the database is away, or another session holds
     * it: a second server under this id): the first tries again at the next look, a lasting
     * failure costs a few queries every 5 s.
     */
    private static final Backoff HOLD_RETRIES = Backoff.doubling(LOOK, Duration.ofSeconds(5));

    private static final Logger LOG = Logger.getLogger(PresenceKeeper.class.getName());

    @Inject
    WorkerDatabase database;

    @Inject
    JobSettings settings;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobLeases leases;

    @Inject
    JobMetrics metrics;

    @Inject
    Clock clock;

    @Resource
    ManagedExecutorService executor;

    /** This server's presence session, being had, held or just over; null between two. */
    private volatile PresenceHolder holder;
    /** Whether this server's jobs are taken over by lease (Derby, worker.takeover=lease): it claims without a presence. */
    private volatile boolean byLease;
    private final AbsenceWatch watch = new AbsenceWatch(GRACE);
    private ServerPresence presence;
    /** Whether this server has given its presence row up, and with it any takeover but by lease. */
    private boolean withdrawn;
    /** The connections are not sessions of their own (a pooler): leases for the rest of this server's life. */
    private boolean sessionsShared;
    /** Failed attempts at holding the lock since the last success. */
    private int failedHolds;
    /** When the next attempt at holding the lock may start ({@link System#nanoTime()}). */
    private long nextHold;
    /** When the last look was ({@link System#nanoTime()}; 0 before the first). */
    private long lastLook;
    /** How long the session has been silent beyond {@link #CONFIRMED_WITHIN}, over looks that came on time. */
    private long silentNanos;
    /** The session whose lock this server was last seen to hold: a look that finds it gone hands the jobs back. */
    private PresenceHolder announced;
    private boolean everHeld;

    /**
     * @return whether this server may claim jobs now: its presence session answered within
     *         {@link #CONFIRMED_WITHIN}, or its jobs are taken over by lease (Derby,
     *         {@code worker.takeover=lease})
     */
    public boolean claimsAllowed() {
        return byLease || confirmed(holder);
    }

    private boolean confirmed(PresenceHolder session) {
        return session != null && session.confirmedSince(clock.instant().minus(CONFIRMED_WITHIN));
    }

    @Override
    public boolean holdWhileFrozen() {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        Dialect dialect = dialect(context);
        if (dialect == null) {
            return;
        }
        if (dialect != Dialect.POSTGRESQL) {
            LOG.info(() -> "Takeover of a dead server's running jobs: once their leases lapse (worker.lease), the job store being " + dialect);
            byLease = true;
            return;
        }
        presence = new ServerPresence(database.dataSource(), clock);
        boolean stopped = false;
        try {
            // At a fixed rate: a look that takes a while (a busy database) does not put the next ones off.
            long next = System.nanoTime();
            do {
                look(true);
                next = Math.max(next + LOOK.toNanos(), System.nanoTime());
            } while (!context.awaitStop(Duration.ofNanos(next - System.nanoTime())));
            // Stopping: the jobs still running here are this server's until they end or go back to the queue.
            while (dispatcher.runningCount() > 0) {
                look(false);
                TimeUnit.MILLISECONDS.sleep(LOOK_MILLIS);
            }
            stopped = true;
        } finally {
            if (!stopped && !context.stopRequested() && confirmed(holder)) {
                handBack("its presence task ended");
            }
            byLease = false;
            endSession();
        }
    }

    /** @return the job store's dialect, once it answers; null if the server stops first */
    private Dialect dialect(TaskContext context) throws InterruptedException {
        while (true) {
            try {
                return database.dialect();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "The job store does not answer yet", e);
                if (context.awaitStop(LOOK)) {
                    return null;
                }
            }
        }
    }

    /** One look: at this server's own presence, and (unless it stops) at the others'. */
    private void look(boolean takeOver) {
        long now = System.nanoTime();
        long sinceLast = lastLook == 0 ? 0 : now - lastLook;
        boolean onTime = sinceLast <= 2 * LOOK.toNanos();
        lastLook = now;
        if (sessionsShared || settings.takeover() == Takeover.LEASE) {
            byLease();
            return;
        }
        PresenceHolder current = holder;
        if (current != null && current.unsupported() != null) {
            sharedSessions(current.unsupported());
            return;
        }
        if (confirmed(current)) {
            silentNanos = 0;
            held(current);
            if (takeOver) {
                takeOverTheGone();
            }
            return;
        }
        if (current != null && current.held()) {
            if (!current.ended()) {
                silentNanos += onTime ? sinceLast : 0;
                if (silentNanos < SILENCE.toNanos()) {
                    return; // silent, not failed: no claims meanwhile, and no verdict yet
                }
            }
            silentNanos = 0;
            lost(current); // it held the lock, and has not answered since: jobs may have been claimed under it
        } else if (current != null && current.ended()) {
            if (failedHolds++ == 0) {
                LOG.log(Level.WARNING, "Could not hold this server's presence in the job store; no jobs are claimed until it does", current.failure());
            }
            nextHold = System.nanoTime() + HOLD_RETRIES.delayAfter(failedHolds).toNanos();
            holder = null;
        }
        if (holder == null && System.nanoTime() - nextHold >= 0) {
            PresenceHolder next = new PresenceHolder(presence, settings.serverId(), LOOK, clock, dispatcher::wake);
            holder = next;
            // Long-running and named, as the supervised tasks are (ManagedTaskLauncher).
            executor.execute(ManagedExecutors.managedTask(next, Map.of(ManagedTask.IDENTITY_NAME, "worker-role presence session",
                    ManagedTask.LONGRUNNING_HINT, "true"), null));
        }
    }

    /** The session holds this server's lock: from now on it claims by presence. */
    private void held(PresenceHolder session) {
        if (announced == session) {
            return;
        }
        announced = session;
        failedHolds = 0;
        withdrawn = false;
        byLease = false;
        long backend = session.backend();
        if (everHeld) {
            LOG.info(() -> "This server's presence in the job store is back (backend " + backend + "): claiming jobs again");
        } else {
            LOG.info(() -> "Takeover of a dead server's running jobs: at once, by its presence lock in the job store (this server's"
                    + " held by backend " + backend + "); by lease where that cannot tell");
        }
        everHeld = true;
        dispatcher.wake();
    }

    /**
     * This server's session ended, or stopped answering, while it lives: it claims nothing until
     * it holds its lock again ({@link #claimsAllowed()} already says so), and hands its running
     * jobs back before the others may take them over.
     */
    private void lost(PresenceHolder session) {
        announced = null;
        watch.reset();
        LOG.log(Level.WARNING, "Lost this server's presence in the job store (its session " + (session.ended() ? "ended" : "stopped answering")
                + "): claiming nothing until it is back, and handing its running jobs back to the queue, as other servers may take"
                + " them over before then", session.failure());
        handBack("its presence in the job store was lost");
        endSession();
    }

    /** Asks the jobs running here to stop, as a stop does: each goes back to the queue from its last checkpoint. */
    private void handBack(String why) {
        List<RunningJob> running = dispatcher.runningJobs();
        if (!running.isEmpty()) {
            LOG.warning(() -> "Handing " + running.size() + " running job(s) back to the queue, as " + why + ": "
                    + running.stream().map(RunningJob::jobId).toList());
        }
        running.forEach(job -> job.cancel(true));
    }

    private void takeOverTheGone() {
        try {
            Instant now = clock.instant();
            for (String server : watch.gone(presence.absent(settings.serverId()), now)) {
                Optional<List<Job>> taken = leases.takeOver(server, presence);
                watch.forget(server);
                taken.ifPresent(jobs -> tookOver(server, jobs));
            }
        } catch (SQLException | StoreException e) {
            LOG.log(Level.FINE, "Could not look for servers that are gone; looking again shortly", e);
        }
    }

    private void tookOver(String server, List<Job> jobs) {
        metrics.recovered(jobs);
        if (jobs.isEmpty()) {
            LOG.fine(() -> "Server " + server + " is gone, with no jobs running");
            return;
        }
        LOG.warning(() -> "Took over " + jobs.size() + " job(s) of server " + server + ", whose session in the job store ended (its presence"
                + " lock free for " + GRACE.toMillis() + " ms): " + jobs.stream().map(Job::id).toList());
        dispatcher.wake();
    }

    /** Takes over by lease only: this server gives its presence row up (before its lock, so that nobody takes it for gone meanwhile). */
    private void byLease() {
        if (!withdrawn) {
            try {
                presence.withdraw(settings.serverId());
            } catch (SQLException | StoreException e) {
                LOG.log(Level.FINE, "Could not give up this server's presence row yet; trying again shortly", e);
                return;
            }
            withdrawn = true;
            announced = null;
            endSession();
            LOG.info(() -> "Takeover of a dead server's running jobs: once their leases lapse (worker.lease), as "
                    + (sessionsShared ? "the job store's connections are not sessions of their own" : "worker.takeover=lease"));
        }
        if (!byLease) {
            byLease = true;
            dispatcher.wake();
        }
    }

    private void sharedSessions(UnsupportedOperationException e) {
        sessionsShared = true;
        LOG.log(Level.SEVERE, "This server cannot hold a presence lock in the job store: " + e.getMessage()
                + ". Its jobs are taken over by lease from now on; set worker.takeover=lease on every server of this job store", e);
        byLease();
    }

    private void endSession() {
        PresenceHolder current = holder;
        holder = null;
        if (current != null) {
            current.end(END_WAIT);
        }
    }
}
