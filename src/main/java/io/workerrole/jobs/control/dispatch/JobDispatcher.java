package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.control.FleetLimits;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.platform.StoreOutage;
import io.workerrole.jobs.control.store.JobClaims;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.LimitState;
import io.workerrole.platform.StoreException;
import jakarta.annotation.Resource;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes runnable jobs of the types this server runs from the job store and runs them, never
 * more at once than {@code worker.concurrency} (and {@code worker.concurrency.TYPE} per type;
 * {@link ClaimableTypes} says which types a claim may take): the backlog waits in the store, not
 * in memory. It wakes at once when this server accepts a job, and polls for
 * jobs that other servers accepted.
 *
 * <p>As a supervised task it is held while the worker is frozen and stopped with the worker:
 * it then claims nothing new and waits for its running jobs; when the stopping wait time is
 * over and it is interrupted, it cancels them and they go back to the queue.
 */
@ApplicationScoped
@Named("job-dispatcher")
public class JobDispatcher implements BackgroundTask {

    /** How often to look for jobs that other servers accepted, unless {@code worker.jobs.pollInterval} says otherwise. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);
    /**
     * Under a backlog, how long a claim may wait for more slots to come free. A claim costs one
     * commit whether it takes one job or sixteen; claiming at each single free slot made most
     * claims take one or two jobs, and the commits, not the jobs, set the pace.
     */
    static final Duration GATHER = Duration.ofMillis(2);
    /** The most due times of delayed jobs and retries kept in memory; the poll finds the others. */
    static final int MAX_DUE_TIMES = 10_000;
    /** The shortest wait for a type's token bucket to fill. */
    static final Duration MIN_BUCKET_WAIT = Duration.ofMillis(10);
    /** How long cancelled jobs get to put themselves back in the queue. */
    static final Duration RELEASE_GRACE = Duration.ofMillis(1500);

    private static final Logger LOG = Logger.getLogger(JobDispatcher.class.getName());

    @Inject
    JobClaims claims;

    @Inject
    JobRunner runner;

    @Inject
    ClaimableTypes claimable;

    @Inject
    FleetLimits limits;

    @Inject
    PresenceKeeper presence;

    @Inject
    JobSettings settings;

    @Inject
    WorkerSettings workerSettings;


    @Inject
    Clock clock;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService timer;

    private final Semaphore wakeups = new Semaphore(0);
    /** Jobs whose handler runs now. */
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    /**
     * Jobs whose handler has returned and whose outcome is being recorded. Their slot is free
     * for the next job at once, so that a commit (milliseconds on a database that syncs its log
     * to disk) does not hold the slot: outcomes are written in groups while the next jobs run.
     * At most {@code worker.concurrency} of them at a time, so that this server never holds more
     * than twice its concurrency in claimed, unfinished jobs.
     */
    private final AtomicInteger finishing = new AtomicInteger();
    private long lastRetryCheck;
    /** {@code worker.jobs.pollInterval} as of the last look: read at each, so that an edit of server.xml applies at once. */
    private Duration poll = DEFAULT_POLL;
    private final DueTimes dueTimes = new DueTimes(MAX_DUE_TIMES);
    private final StoreOutage outage = new StoreOutage(LOG, "no jobs are claimed");
    /**
     * When the token bucket of a type the last claim found at its rate is full again: the
     * dispatcher looks again then at the latest, so that a rate whose bucket fills between two
     * polls (below about 5 starts a second) loses no start. Null: no such type.
     */
    private Instant bucketFull;
    /** Whether the last claim took all it asked for: more jobs are probably waiting. */
    private boolean backlogged;
    /**
     * Whether the executor refused a job because it is shut down. Liberty shuts the default
     * executor down as the server quiesces, seconds before the worker hears that it stops: a job
     * claimed meanwhile could never start, and would wait RUNNING for the others to take it over
     * as a dead server's (a wasted attempt). Claims stop for good (a new start of the application
     * is a new dispatcher), and what was claimed goes back to the queue at once.
     */
    private volatile boolean executorShutDown;
    /** Whether this server claims jobs: the dispatcher runs, and no stop or freeze is asked of it. */
    private volatile boolean claiming;
    /** {@code worker.concurrency} as of the last look, for {@link #wouldStartNow} (asked at every job accepted). */
    private volatile int concurrency = 1;

    /** Wakes the dispatcher: a job was accepted here, or capacity came free. */
    public void wake() {
        wakeups.release();
    }

    /**
     * A job accepted or retried here falls due at this time (a delayed job, a retry): the
     * dispatcher queues it then, not at its next poll.
     */
    public void dueAt(Instant at) {
        if (dueTimes.add(at)) {
            wake();
        }
    }

    /** @return false while the job store cannot be reached: no job is claimed then */
    public boolean storeAvailable() {
        return !outage.isOngoing();
    }

    /**
     * Tells a job running here that it is cancelled (its handler sees {@code cancelled()}); if the
     * handler has not returned after the stopping wait time, its thread is interrupted.
     *
     * @return false if the job does not run here
     */
    public boolean cancel(String jobId) {
        RunningJob job = running.get(jobId);
        if (job == null) {
            return false;
        }
        if (!job.cancelRequested()) {
            Duration wait = workerSettings.stoppingWaitTime();
            job.requestCancel();
            LOG.info(() -> "[job " + jobId + " " + job.job().type() + "] cancelled while it runs: its handler is told, and interrupted after " + wait);
            timer.schedule(() -> job.cancel(true), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** @return how many jobs run on this server now */
    public int runningCount() {
        return running.size();
    }

    /** @return the ids of the jobs running on this server now */
    public Set<String> runningJobIds() {
        return Set.copyOf(running.keySet());
    }

    /** @return the jobs running on this server now */
    List<RunningJob> runningJobs() {
        return List.copyOf(running.values());
    }

    /** @return the job, if it runs on this server now */
    Optional<RunningJob> running(String jobId) {
        return Optional.ofNullable(running.get(jobId));
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        // A stop request, and its withdrawal, wake the waits below at once, not at the next poll.
        context.onStopChange(this::wake);
        try {
            while (true) {
                claiming = true;
                while (!context.stopRequested()) {
                    if (dispatch()) {
                        wakeups.tryAcquire(untilNextLook(), TimeUnit.NANOSECONDS);
                        wakeups.drainPermits();
                    } else {
                        context.awaitStop(outage.nextPause());
                    }
                }
                claiming = false;
                LOG.info(() -> "Dispatcher stopping: waiting for " + running.size() + " running job(s)");
                while ((!running.isEmpty() || finishing.get() > 0) && context.stopRequested()) {
                    wakeups.tryAcquire(DEFAULT_POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (context.stopRequested()) {
                    return;
                }
                // The freeze was lifted before the running jobs ended: the request is withdrawn.
                LOG.info(() -> "Dispatcher resuming: its stop request was withdrawn, " + running.size() + " job(s) still running");
            }
        } catch (InterruptedException e) {
            cancelRunningJobs();
            throw e;
        } finally {
            claiming = false;
        }
    }

    /**
     * @return whether this server claims jobs now: it is not frozen, stopping or stopped, and
     *         holds its presence in the job store ({@link PresenceKeeper})
     */
    public boolean claiming() {
        return claiming && !executorShutDown && presence.claimsAllowed();
    }

    /** @return whether a job queued now would start here at once: this server claims jobs and has a free slot */
    public boolean wouldStartNow() {
        return claiming() && free(concurrency) > 0;
    }

    /** @return false if the job store could not be reached */
    private boolean dispatch() throws InterruptedException {
        bucketFull = null;
        poll = settings.pollInterval();
        int concurrency = settings.concurrency();
        this.concurrency = concurrency;
        int free = free(concurrency);
        if (backlogged && free < (concurrency + 1) / 2) {
            // With no backlog, a job is claimed the moment it arrives; with one, in larger bites.
            long deadline = System.nanoTime() + GATHER.toNanos();
            for (long left = GATHER.toNanos(); free < (concurrency + 1) / 2 && left > 0; left = deadline - System.nanoTime()) {
                wakeups.tryAcquire(left, TimeUnit.NANOSECONDS);
                free = free(concurrency);
            }
        }
        List<Job> claimed;
        try {
            // Before the check for free slots: a due time is forgotten once its jobs are queued,
            // and a due time kept while every slot is busy would end the dispatcher's every wait at once.
            queueDueJobs();
            // Without its presence, a job claimed here could be taken over while it runs.
            if (free <= 0 || !presence.claimsAllowed() || executorShutDown) {
                return true;
            }
            Set<String> types = claimable.now(running.values());
            claimed = claims.claim(free, types, limits.of(types), this::limitSeen, settings.serverId(), settings.lease(), settings.sequenceGapTimeout());
        } catch (StoreException e) {
            outage.failed(e);
            return false;
        }
        outage.succeeded();
        claimed.forEach(this::start);
        // A claim held back by a type's fleet-wide limit or rate takes fewer than it asked: not a
        // backlog to look at again at once (that would spin), but one for the next poll or wake.
        backlogged = claimed.size() == free;
        if (backlogged) {
            wake(); // there may be more once capacity frees up; look again without waiting
        }
        return true;
    }

    /** What the claim found of a limited type: kept to say why its jobs wait, and to look again when its bucket is full. */
    private void limitSeen(LimitState state) {
        limits.seen(state);
        if (state.atRate() && state.bucketFullAt() != null && (bucketFull == null || state.bucketFullAt().isBefore(bucketFull))) {
            bucketFull = state.bucketFullAt();
        }
    }

    /** @return how many jobs may be claimed now: slots without a running handler, within the bound on outcomes in flight */
    private int free(int concurrency) {
        return Math.min(concurrency - running.size(), 2 * concurrency - running.size() - finishing.get());
    }

    /**
     * Moves due retries and scheduled jobs whose time has come to the queue: once per poll
     * interval (for those of other servers), and as soon as one known here falls due.
     */
    private void queueDueJobs() {
        long now = System.nanoTime();
        if (dueTimes.takeDue(clock.instant()) | now - lastRetryCheck >= poll.toNanos()) {
            lastRetryCheck = now;
            claims.queueDueJobs();
        }
    }

    /**
     * @return nanoseconds until the dispatcher must look again: at the next due time known here,
     *         and at the latest when the poll for other servers' due jobs is due (counted from the
     *         last poll, not from this wake: a wake just before the poll would otherwise put it
     *         off by a whole interval)
     */
    private long untilNextLook() {
        long untilPoll = Math.max(0, poll.toNanos() - (System.nanoTime() - lastRetryCheck));
        Instant now = clock.instant();
        long untilLook = Math.min(dueTimes.untilNext(now, poll).toNanos(), untilPoll);
        if (bucketFull != null) {
            // Never sooner than MIN_BUCKET_WAIT: a bucket found full to the rounding would have the dispatcher spin.
            untilLook = Math.min(untilLook, Math.max(MIN_BUCKET_WAIT.toNanos(), Duration.between(now, bucketFull).toNanos()));
        }
        return untilLook;
    }

    private void start(Job job) {
        if (executorShutDown) {
            runner.unstarted(job);
            return;
        }
        RunningJob runningJob = runner.prepare(job);
        running.put(job.id(), runningJob);
        try {
            runningJob.runsOn(executor.submit(() -> {
                AtomicBoolean finishingHere = new AtomicBoolean();
                try {
                    runner.run(runningJob, () -> finishingHere.set(handlerReturned(runningJob)));
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "[job " + job.id() + " " + job.type() + "] could not record its outcome", e);
                } finally {
                    if (finishingHere.get()) {
                        finishing.decrementAndGet();
                    } else {
                        // This run's entry only: the job may run here again already, as a new
                        // attempt (handed back to the queue and claimed again meanwhile).
                        running.remove(job.id(), runningJob);
                    }
                    wake();
                }
            }));
        } catch (RejectedExecutionException e) {
            running.remove(job.id(), runningJob);
            if (!executorShutDown) {
                executorShutDown = true;
                LOG.info(() -> "The executor refuses jobs (" + e.getMessage() + "): the server is stopping; no more jobs are claimed here, "
                        + "and those claimed but not started go back to the queue");
            }
            runner.unstarted(job);
        } catch (RuntimeException e) {
            running.remove(job.id(), runningJob);
            LOG.log(Level.SEVERE, "[job " + job.id() + "] could not be started; its lease will lapse and it will run again", e);
        }
    }

    /**
     * The job's handler has returned: its slot is free while its outcome is recorded.
     *
     * @return whether it now counts among the outcomes being recorded
     */
    private boolean handlerReturned(RunningJob job) {
        if (running.remove(job.jobId(), job)) {
            finishing.incrementAndGet();
            wake();
            return true;
        }
        return false;
    }

    private void cancelRunningJobs() {
        LOG.warning(() -> "Dispatcher interrupted: cancelling " + running.size() + " running job(s); they go back to the queue");
        running.values().forEach(job -> job.cancel(true));
        long deadline = System.nanoTime() + RELEASE_GRACE.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                wakeups.tryAcquire(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
