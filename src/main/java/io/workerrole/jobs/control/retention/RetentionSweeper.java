package io.workerrole.jobs.control.retention;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.platform.ClusterLease;
import io.workerrole.platform.RetentionSettings;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.StoreOutage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes the finished jobs whose retention has passed ({@link JobRetention}), on one server of
 * those sharing the job store at a time: every {@code worker.jobs.retentionInterval} it takes
 * (or renews) the cluster lease {@value #LEASE} and, holding it, deletes batch after batch until
 * none is left, renewing the lease between batches. The lease saves work rather than keeping
 * anything correct: two servers pruning at once (one stalled past its lease) delete each job once.
 */
@ApplicationScoped
@Named("job-retention")
public class RetentionSweeper implements BackgroundTask {

    /** The cluster lease of the server that prunes. */
    static final String LEASE = "job-retention";
    /** The shortest hold on the lease: a sweep renews it after every batch, so it must outlast one. */
    static final Duration MIN_LEASE = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class.getName());

    @Inject
    JobRetention retention;

    @Inject
    ClusterLease leases;

    @Inject
    RetentionSettings settings;

    @Inject
    JobSettings jobSettings;

    @Inject
    Clock clock;

    private final StoreOutage outage = new StoreOutage(LOG, "finished jobs are not deleted");

    @Override
    public void run(TaskContext context) throws InterruptedException {
        String owner = jobSettings.serverId();
        try {
            do {
                sweep(context, owner);
            } while (!context.awaitStop(pause()));
        } finally {
            letGo(owner);
        }
    }

    /** @return the wait before the next sweep: the interval, longer while the store is down */
    private Duration pause() {
        Duration interval = settings.interval();
        Duration backoff = outage.isOngoing() ? outage.nextPause() : Duration.ZERO;
        return backoff.compareTo(interval) > 0 ? backoff : interval;
    }

    /**
     * The lease is held from one sweep to the next (so that the same server goes on pruning)
     * and lapses two intervals after its holder stopped renewing it.
     */
    private Duration lease() {
        Duration twoIntervals = settings.interval().multipliedBy(2);
        return twoIntervals.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : twoIntervals;
    }

    private void sweep(TaskContext context, String owner) throws InterruptedException {
        Duration lease = lease();
        try {
            if (leases.hold(LEASE, owner, lease)) {
                prune(context, owner, lease);
            }
            outage.succeeded();
        } catch (SQLException | StoreException e) {
            outage.failed(e);
        }
    }

    /**
     * Deletes batch after batch while it holds the lease, resting after each as long as it took,
     * and says what it deleted (also when the store fails midway). Pruning is housekeeping: the
     * rest leaves the database at least half of its time for the jobs (on a store of a million
     * finished jobs, Derby's intake slowed down to seconds while batches ran back to back).
     */
    private void prune(TaskContext context, String owner, Duration lease) throws SQLException, InterruptedException {
        Instant started = clock.instant();
        Duration kept = settings.retention();
        Duration deadKept = settings.deadRetention();
        JobRetention.Sweep sweep = retention.sweep(started.minus(kept), started.minus(deadKept));
        try {
            boolean stop;
            do {
                Instant batchStarted = clock.instant();
                sweep.deleteBatch();
                Duration took = Duration.between(batchStarted, clock.instant());
                stop = sweep.isDone() || (took.isZero() ? context.stopRequested() : context.awaitStop(took));
            } while (!stop && leases.hold(LEASE, owner, lease));
        } finally {
            if (sweep.deleted() > 0) {
                LOG.info(() -> "Deleted " + sweep.deleted() + " finished job(s), with their history and notices, in "
                        + sweep.batches() + " batch(es) and " + Duration.between(started, clock.instant()).toMillis() + " ms: "
                        + "SUCCEEDED, CANCELLED and REJECTED jobs finished before " + started.minus(kept)
                        + " (" + RetentionSettings.RETENTION + " " + kept + "), DEAD jobs before " + started.minus(deadKept)
                        + " (" + RetentionSettings.DEAD_RETENTION + " " + deadKept + ")"
                        + (sweep.isDone() ? "" : "; the rest waits for the next sweep"));
            }
        }
    }

    /** Releases the lease when the task stops, so that another server need not wait for it to lapse. */
    private void letGo(String owner) {
        try {
            leases.release(LEASE, owner);
        } catch (SQLException | StoreException e) {
            LOG.log(Level.FINE, "Could not release the lease " + LEASE + "; it lapses by itself", e);
        }
    }
}
