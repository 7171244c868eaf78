package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.DeadJobRequeue;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobFilter;
import io.workerrole.jobs.entity.JobStateMachine.Change;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.SqlConditions;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.rest.ConflictException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static io.workerrole.jobs.control.store.JobHistory.event;
import static io.workerrole.jobs.control.store.JobRows.SELECT;
import static io.workerrole.jobs.control.store.JobRows.byId;
import static io.workerrole.jobs.control.store.JobRows.require;
import static io.workerrole.platform.Database.ts;

/**
 * An admin's requeues in the store (the store half of {@link DeadJobRequeue}, which also removes
 * the dead letters): a DEAD or CANCELLED job goes back to the queue for a fresh set of attempts,
 * with its history kept and the notices it owed forgotten, in one transaction per job or batch.
 */
public class JobRequeues {

    private final Database database;
    private final Clock clock;

    /** For CDI proxies. */
    protected JobRequeues() {
        this(null, null);
    }

    public JobRequeues(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Puts a DEAD or CANCELLED job back in the queue for a fresh set of attempts (an admin's
     * requeue). Its history keeps what happened before.
     *
     * @return the job as it is now, or empty if there is no such job
     * @throws IllegalStateException if the job is in another state
     */
    public Optional<Job> requeue(String id) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Optional<Job> job = byId(c, id);
                if (job.isEmpty()) {
                    return job;
                }
                if (!requeue(c, job.get(), now)) {
                    throw new ConflictException("job " + id + " is " + job.get().state() + "; only DEAD and CANCELLED jobs are requeued");
                }
                tx.commit();
                return Optional.of(require(c, id));
            });
        } catch (SQLException e) {
            throw new StoreException("Could not requeue job " + id, e);
        }
    }

    /**
     * Requeues the DEAD jobs the filter takes (its state aside), {@link #REQUEUE_BATCH} per transaction, in
     * the order they were recorded and up to the last job recorded when it began. Each job is
     * visited once, by a cursor on its seq: one that dies again while the requeue goes on stays
     * DEAD, and so does one recorded after it began.
     *
     * @param afterEach told the ids of each batch's jobs once that batch has committed
     * @return how many jobs were requeued
     */
    public int requeueDead(JobFilter filter, Consumer<List<String>> afterEach) {
        try {
            long last = database.withConnection(c -> Jdbc.queryOne(c, "SELECT MAX(seq) FROM worker_job", Jdbc.Parameters.NONE,
                    rs -> rs.getLong(1))).orElse(0L);
            int requeued = 0;
            DeadPage page;
            long after = Long.MIN_VALUE;
            do {
                page = requeueDead(filter, after, last);
                if (!page.requeued().isEmpty()) {
                    afterEach.accept(page.requeued());
                    requeued += page.requeued().size();
                }
                after = page.lastSeq();
            } while (page.visited() == REQUEUE_BATCH);
            return requeued;
        } catch (SQLException e) {
            throw new StoreException("Could not requeue dead jobs", e);
        }
    }

    /** DEAD jobs visited per transaction by {@link #requeueDead(JobFilter, Consumer)}. */
    public static final int REQUEUE_BATCH = 500;

    /** One batch of a requeue of dead jobs: how many it visited, the last one's seq, those it requeued. */
    private record DeadPage(int visited, long lastSeq, List<String> requeued) {
    }

    private DeadPage requeueDead(JobFilter filter, long afterSeq, long lastSeq) throws SQLException {
        Instant now = clock.instant();
        SqlConditions conditions = JobQueries.conditions(filter);
        return database.inTransaction(tx -> {
            Connection c = tx.connection();
            List<Job> dead = Jdbc.query(c, SELECT + " WHERE state = 'DEAD'" + conditions.sql()
                    + " AND seq > ? AND seq <= ? ORDER BY seq FETCH FIRST " + REQUEUE_BATCH + " ROWS ONLY", s -> {
                int index = conditions.bind(s, 1);
                s.setLong(index++, afterSeq);
                s.setLong(index, lastSeq);
            }, JobRows::job);
            List<String> requeued = new ArrayList<>();
            for (Job job : dead) {
                if (requeue(c, job, now)) {
                    requeued.add(job.id());
                }
            }
            tx.commit();
            return new DeadPage(dead.size(), dead.isEmpty() ? afterSeq : dead.get(dead.size() - 1).seq(), requeued);
        });
    }

    /** Gives a job a fresh set of attempts, if it is in a state an admin's requeue is made from. */
    private static final String REQUEUE = "UPDATE worker_job SET " + Change.REQUEUE.set() + ", attempts = 0, error = NULL, "
            + "run_after = ?, finished_at = NULL, updated_at = ? WHERE id = ? AND " + Change.REQUEUE.guard();

    private static boolean requeue(Connection c, Job job, Instant now) throws SQLException {
        int requeued = Jdbc.update(c, REQUEUE, s -> {
            s.setTimestamp(1, ts(now));
            s.setTimestamp(2, ts(now));
            s.setString(3, job.id());
        });
        if (requeued != 1) {
            return false;
        }
        event(c, job.id(), JobState.QUEUED, now, "requeued by an admin after " + job.state());
        NoticeStore.forget(c, job.id());
        return true;
    }
}
