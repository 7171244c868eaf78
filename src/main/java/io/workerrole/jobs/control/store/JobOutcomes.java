package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.store.JobHistory.HistoryEntry;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobStateMachine.Change;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.Database;
import io.workerrole.platform.GroupCommit;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.workerrole.jobs.control.store.JobHistory.appendHistory;
import static io.workerrole.jobs.control.store.JobRows.MAX_BATCH;
import static io.workerrole.jobs.control.store.JobRows.MAX_ERROR_LENGTH;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * What the server running a job records about it: its progress and checkpoint while it runs,
 * then its outcome (success, a retry later, given up, or released back to the queue). Every
 * update is fenced by the owner and the attempt ({@code WHERE owner = ? AND attempts = ? AND
 * state = 'RUNNING'}), so a server that lost a job (its lease lapsed, or its presence in the job
 * store, and another server took it) cannot overwrite the new owner's work; nor can it record
 * the attempt it lost when the job came back to it as a new attempt (the same owner, since its
 * presence returned). An outcome, its history entry and the notices it owes are written in one
 * transaction, shared by the outcomes of other jobs that end at the same time (group commit).
 */
public class JobOutcomes {

    private final Database database;
    private final Clock clock;
    private final GroupCommit<Finish, Boolean> finishes;

    /** For CDI proxies. */
    protected JobOutcomes() {
        this(null, null);
    }

    public JobOutcomes(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.finishes = new GroupCommit<>(new GroupCommit.Writer<>() {
            @Override
            public List<Boolean> writeAll(List<Finish> batch) throws SQLException {
                return database.inTransaction(tx -> {
                    List<Boolean> updated = finishAll(tx.connection(), batch);
                    tx.commit();
                    return updated;
                });
            }

            @Override
            public Boolean writeOne(Finish finish) throws SQLException {
                return writeAll(List.of(finish)).get(0);
            }
        }, MAX_BATCH);
    }

    /** Records success, and in the same transaction the notices the job owes. @return false if this server no longer owns the job */
    public boolean succeed(Job job, String owner, String result) {
        Instant now = clock.instant();
        return finishRunning(job, owner, Change.SUCCEED, null,
                "result = ?, progress = 100, finished_at = ?", s -> {
                    s.setString(1, result);
                    s.setTimestamp(2, ts(now));
                    return 3;
                }, now);
    }

    /** Records a failed attempt that will be retried at {@code nextAttempt}. */
    public boolean retryLater(Job job, String owner, String error, Instant nextAttempt) {
        return finishRunning(job, owner, Change.FAIL, error, "error = ?, run_after = ?", s -> {
            s.setString(1, truncate(error, MAX_ERROR_LENGTH));
            s.setTimestamp(2, ts(nextAttempt));
            return 3;
        }, clock.instant());
    }

    /** Records that the job is given up, and in the same transaction the notices it owes. */
    public boolean dead(Job job, String owner, String error) {
        Instant now = clock.instant();
        return finishRunning(job, owner, Change.GIVE_UP, error, "error = ?, finished_at = ?", s -> {
            s.setString(1, truncate(error, MAX_ERROR_LENGTH));
            s.setTimestamp(2, ts(now));
            return 3;
        }, now);
    }

    /** Records that the job, cancelled while it ran, has stopped; and in the same transaction the notices it owes. */
    public boolean cancelled(Job job, String owner) {
        Instant now = clock.instant();
        return finishRunning(job, owner, Change.STOP_CANCELLED, "cancelled while it ran; its handler has returned",
                "finished_at = ?", s -> {
                    s.setTimestamp(1, ts(now));
                    return 2;
                }, now);
    }

    /**
     * Puts a running job back in the queue without counting the attempt: the worker stopped or
     * froze while it ran. It resumes from its checkpoint.
     */
    public boolean release(Job job, String owner) {
        Instant now = clock.instant();
        return finishRunning(job, owner, Change.RELEASE, "released by " + owner + " (stopping)",
                "attempts = attempts - 1, run_after = ?", s -> {
                    s.setTimestamp(1, ts(now));
                    return 2;
                }, now);
    }

    /**
     * Puts a job this server claimed but cannot run (it has no handler for the type any more)
     * back in the queue without counting the attempt, for a server that runs the type.
     */
    public boolean handBack(Job job, String owner) {
        Instant now = clock.instant();
        return finishRunning(job, owner, Change.HAND_BACK, "handed back by " + owner + ": it no longer runs type " + job.type(),
                "attempts = attempts - 1, run_after = ?", s -> {
                    s.setTimestamp(1, ts(now));
                    return 2;
                }, now);
    }

    @FunctionalInterface
    private interface Binder {
        int bind(PreparedStatement statement) throws SQLException;
    }

    /** A running job's end, as one of the methods above records it: its change of state and the columns that change. */
    private record Finish(Job job, String owner, Change change, String detail, String set, Binder binder, Instant now) {

        JobState state() {
            return change.target();
        }

        String sql() {
            return "UPDATE worker_job SET " + change.set() + ", " + set + ", owner = NULL, lease_until = NULL, "
                    + "updated_at = ? WHERE id = ? AND owner = ? AND attempts = ? AND " + change.guard();
        }
    }

    private boolean finishRunning(Job job, String owner, Change change, String detail, String set, Binder binder, Instant now) {
        try {
            return finishes.write(new Finish(job, owner, change, detail, set, binder, now));
        } catch (SQLException e) {
            throw new StoreException("Could not record job " + job.id() + " as " + change.target(), e);
        }
    }

    /**
     * Records the ends of many running jobs in one transaction, each with its history entry and
     * the notices it owes. An end is recorded only where its server still owns the job.
     *
     * @return for each end, whether it was recorded
     */
    private static List<Boolean> finishAll(Connection c, List<Finish> batch) throws SQLException {
        Map<String, List<Integer>> byStatement = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byStatement.computeIfAbsent(batch.get(i).sql(), sql -> new ArrayList<>()).add(i);
        }
        Boolean[] updated = new Boolean[batch.size()];
        for (Map.Entry<String, List<Integer>> statement : byStatement.entrySet()) {
            try (PreparedStatement s = c.prepareStatement(statement.getKey())) {
                for (int i : statement.getValue()) {
                    Finish finish = batch.get(i);
                    int index = finish.binder().bind(s);
                    s.setTimestamp(index++, ts(finish.now()));
                    s.setString(index++, finish.job().id());
                    s.setString(index++, finish.owner());
                    s.setInt(index, finish.job().attempts());
                    s.addBatch();
                }
                int[] counts = s.executeBatch();
                for (int k = 0; k < counts.length; k++) {
                    updated[statement.getValue().get(k)] = counts[k] == 1;
                }
            }
        }
        List<HistoryEntry> entries = new ArrayList<>(batch.size());
        List<NoticeStore.Owed> owed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (updated[i]) {
                Finish finish = batch.get(i);
                entries.add(new HistoryEntry(finish.job().id(), finish.state(), finish.now(), finish.detail()));
                for (NoticeChannel channel : NoticeChannel.owedBy(finish.job(), finish.state())) {
                    owed.add(new NoticeStore.Owed(finish.job().id(), channel, finish.now()));
                }
            }
        }
        appendHistory(c, entries);
        NoticeStore.oweAll(c, owed);
        return List.of(updated);
    }

    /** Saves progress of a running job, in the attempt this server runs. */
    public void saveProgress(Job running, String owner, int percent) {
        updateRunning(running, owner, "progress = ?", s -> s.setInt(1, Math.max(0, Math.min(100, percent))));
    }

    /** Saves the checkpoint of a running job, in the attempt this server runs. */
    public void saveCheckpoint(Job running, String owner, String checkpoint) {
        updateRunning(running, owner, "checkpoint = ?", s -> s.setString(1, checkpoint));
    }

    @FunctionalInterface
    private interface SingleBinder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void updateRunning(Job running, String owner, String set, SingleBinder binder) {
        String jobId = running.id();
        String sql = "UPDATE worker_job SET " + set + ", updated_at = ? WHERE id = ? AND owner = ? AND attempts = ? AND state = 'RUNNING'";
        int updated;
        try {
            updated = database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    binder.bind(s);
                    s.setTimestamp(2, ts(clock.instant()));
                    s.setString(3, jobId);
                    s.setString(4, owner);
                    s.setInt(5, running.attempts());
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not update job " + jobId, e);
        }
        if (updated != 1) {
            throw new StoreException("Job " + jobId + " is no longer running on " + owner + " (attempt " + running.attempts() + ")", null);
        }
    }
}
