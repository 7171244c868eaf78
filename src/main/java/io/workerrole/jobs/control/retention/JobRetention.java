package io.workerrole.jobs.control.retention;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.JobStateMachine;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.ts;

/**
 * Deletes finished jobs whose retention has passed, with their history and the notices they
 * still owe, one short transaction at a time, so that the job store grows with the jobs of the
 * retention period and not with the age of the installation.
 * <p>
 * SUCCEEDED, CANCELLED and REJECTED jobs go once they finished before one cut-off, DEAD jobs
 * before their own (admins may still requeue them); QUEUED, RUNNING and FAILED jobs are never
 * deleted, however old. A finished job of a sequence stays until a higher number of its key has
 * finished too: a claim runs number <i>n</i> without waiting out the gap timeout only if
 * <i>n − 1</i> exists, so a key's last finished number is kept for the next one, which may still
 * arrive, or wait in the queue.
 * <p>
 * A batch is at most {@link #BATCH} jobs and {@link #MAX_EVENTS} history rows, which keeps it
 * well below Derby's lock escalation (5,000 row locks on one table in one transaction, after
 * which it locks the whole table, and claims would wait for the pruning). Jobs are read oldest
 * first through the index on (finished_at, state), from where the previous batch stopped.
 */
public class JobRetention {

    /** Jobs per batch at most. */
    public static final int BATCH = 500;
    /** History rows per batch at most: a job that was tried many times has many (a job with more than this goes alone). */
    public static final int MAX_EVENTS = 2_000;
    /** Ids per statement when history rows are counted. */
    private static final int CHUNK = 100;

    /**
     * The next jobs to delete, oldest first: those of the final states that finished before
     * their cut-off (the first parameter is the later cut-off, the index's range), and a job of
     * a sequence only once a higher number of its key has finished. The index is named for
     * Derby, whose optimizer otherwise at times reads a state's every job and sorts them (it
     * costs a plan without its FETCH FIRST); to PostgreSQL the hint is a comment.
     */
    private static final String CANDIDATES = "SELECT j.id, j.state, j.finished_at FROM worker_job j "
            + "--DERBY-PROPERTIES index = WORKER_JOB_FINISHED\n"
            + "WHERE j.finished_at < ? %s"
            + "AND (j.state IN ('SUCCEEDED', 'CANCELLED', 'REJECTED') AND j.finished_at < ? OR j.state = 'DEAD' AND j.finished_at < ?) "
            + "AND (j.sequence_key IS NULL OR EXISTS (SELECT 1 FROM worker_job n WHERE n.sequence_key = j.sequence_key "
            + "AND n.sequence_number > j.sequence_number AND n.state IN " + JobStateMachine.list(JobStateMachine.FINAL) + ")) "
            + "ORDER BY j.finished_at FETCH FIRST %d ROWS ONLY";

    private final Database database;
    private final int batch;
    private final int maxEvents;

    /** For CDI proxies. */
    protected JobRetention() {
        this(null);
    }

    public JobRetention(Database database) {
        this(database, BATCH, MAX_EVENTS);
    }

    /** With smaller batches, for tests. */
    JobRetention(Database database, int batch, int maxEvents) {
        this.database = database;
        this.batch = batch;
        this.maxEvents = maxEvents;
    }

    /**
     * Starts a pass over the jobs to delete; nothing is deleted until its first batch.
     *
     * @param finishedBefore SUCCEEDED, CANCELLED and REJECTED jobs that finished before this go
     * @param deadBefore DEAD jobs that finished before this go
     */
    public Sweep sweep(Instant finishedBefore, Instant deadBefore) {
        return new Sweep(finishedBefore, deadBefore);
    }

    /**
     * One pass over the jobs to delete, a batch per call. Each batch reads on from where the
     * previous one stopped, so that a pass reads past the jobs it keeps, and past what earlier
     * batches deleted (dead index entries until the database cleans up), only once.
     */
    public final class Sweep {

        private final Instant finishedBefore;
        private final Instant deadBefore;
        /** The finish time of the last job taken: none before it is left to delete. */
        private Instant from;
        private boolean done;
        private int deleted;
        private int batches;

        private Sweep(Instant finishedBefore, Instant deadBefore) {
            this.finishedBefore = finishedBefore;
            this.deadBefore = deadBefore;
        }

        /**
         * Deletes one batch, in one transaction.
         *
         * @return how many jobs it deleted
         */
        public int deleteBatch() throws SQLException {
            if (done) {
                return 0;
            }
            // Applied only once committed: a transaction the database rolled back runs again from the same place.
            Outcome outcome = database.inTransaction(tx -> {
                Outcome result = deleteOne(tx.connection(), this);
                tx.commit();
                return result;
            });
            if (outcome.lastTaken() != null) {
                from = outcome.lastTaken();
            }
            done = outcome.exhausted();
            deleted += outcome.deleted();
            batches++;
            return outcome.deleted();
        }

        /** @return true once a batch came back short: every job to delete when it ran was deleted */
        public boolean isDone() {
            return done;
        }

        /** @return how many jobs this pass deleted so far */
        public int deleted() {
            return deleted;
        }

        /** @return how many batches it ran so far */
        public int batches() {
            return batches;
        }

        private Instant cutoff(JobState state) {
            return state == JobState.DEAD ? deadBefore : finishedBefore;
        }
    }

    private record Candidate(String id, JobState state, Instant finishedAt) {
    }

    /**
     * What a batch did.
     *
     * @param lastTaken the finish time of its last job, or null if it found none
     * @param exhausted whether it found fewer jobs than a batch, and took them all
     */
    private record Outcome(Instant lastTaken, boolean exhausted, int deleted) {
    }

    private Outcome deleteOne(Connection c, Sweep sweep) throws SQLException {
        List<Candidate> found = candidates(c, sweep);
        List<Candidate> taken = withinEventBudget(c, found);
        List<String> deleted = deleteJobs(c, sweep, taken);
        deleteHistory(c, deleted);
        return new Outcome(taken.isEmpty() ? null : taken.get(taken.size() - 1).finishedAt(),
                found.size() < batch && taken.size() == found.size(), deleted.size());
    }

    private List<Candidate> candidates(Connection c, Sweep sweep) throws SQLException {
        Instant later = sweep.finishedBefore.isAfter(sweep.deadBefore) ? sweep.finishedBefore : sweep.deadBefore;
        String sql = String.format(CANDIDATES, sweep.from == null ? "" : "AND j.finished_at >= ? ", batch);
        return Jdbc.query(c, sql, s -> {
            int index = 1;
            s.setTimestamp(index++, ts(later));
            if (sweep.from != null) {
                s.setTimestamp(index++, ts(sweep.from));
            }
            s.setTimestamp(index++, ts(sweep.finishedBefore));
            s.setTimestamp(index, ts(sweep.deadBefore));
        }, rs -> new Candidate(rs.getString(1), JobState.valueOf(rs.getString(2)), instant(rs.getTimestamp(3))));
    }

    /** @return the first candidates whose history rows add up to at most the budget (at least one, to make progress) */
    private List<Candidate> withinEventBudget(Connection c, List<Candidate> candidates) throws SQLException {
        Map<String, Integer> events = new HashMap<>();
        List<String> ids = candidates.stream().map(Candidate::id).toList();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(from + CHUNK, ids.size()));
            // The index named for Derby, as above: with a long list of ids it may otherwise read the whole history.
            Jdbc.forEach(c, "SELECT job_id, COUNT(*) FROM worker_job_event "
                    + "--DERBY-PROPERTIES index = WORKER_JOB_EVENT_JOB\n"
                    + "WHERE job_id IN (" + Jdbc.placeholders(chunk.size()) + ") GROUP BY job_id", s -> {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setString(i + 1, chunk.get(i));
                }
            }, rs -> events.put(rs.getString(1), rs.getInt(2)));
        }
        int total = 0;
        int fit = 0;
        for (Candidate candidate : candidates) {
            total += events.getOrDefault(candidate.id(), 0);
            if (total > maxEvents && fit > 0) {
                break;
            }
            fit++;
        }
        return candidates.subList(0, fit);
    }

    /**
     * Deletes the jobs that are still what they were when read (an admin may have requeued one
     * since), and with them their notices (ON DELETE CASCADE).
     *
     * @return the ids of the jobs deleted
     */
    private static List<String> deleteJobs(Connection c, Sweep sweep, List<Candidate> candidates) throws SQLException {
        if (candidates.isEmpty()) {
            return List.of();
        }
        int[] counts;
        try (PreparedStatement s = c.prepareStatement("DELETE FROM worker_job WHERE id = ? AND state = ? AND finished_at < ?")) {
            for (Candidate candidate : candidates) {
                s.setString(1, candidate.id());
                s.setString(2, candidate.state().name());
                s.setTimestamp(3, ts(sweep.cutoff(candidate.state())));
                s.addBatch();
            }
            counts = s.executeBatch();
        }
        List<String> deleted = new ArrayList<>(candidates.size());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                deleted.add(candidates.get(i).id());
            }
        }
        return deleted;
    }

    /**
     * Deletes the history of deleted jobs (it has no foreign key: it is written on every change
     * of state), a job at a time: an equality on job_id is read through its index on both
     * databases, whatever their statistics say.
     */
    private static void deleteHistory(Connection c, List<String> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM worker_job_event WHERE job_id = ?")) {
            for (String id : jobIds) {
                s.setString(1, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
