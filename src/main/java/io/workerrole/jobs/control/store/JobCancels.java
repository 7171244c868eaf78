package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobStateMachine.Change;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.Database;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.workerrole.jobs.control.store.JobHistory.event;
import static io.workerrole.jobs.control.store.JobRows.byId;
import static io.workerrole.jobs.control.store.JobRows.ids;
import static io.workerrole.jobs.control.store.JobRows.require;
import static io.workerrole.platform.Database.ts;

/**
 * Cancels jobs at an operator's or the application's request. A job that waits (queued,
 * scheduled, or failed and waiting for its next attempt) is cancelled at once and never runs. A
 * running job is asked to stop: the request is kept with the job, the server running it (this
 * one at once, another at its next lease renewal) tells the handler through
 * {@code JobContext.cancelled()}, and the job ends CANCELLED when its handler returns. A
 * finished job stays as it is.
 */
public class JobCancels {

    /** What a cancellation did. */
    public enum Result {
        /** The job was waiting; it is CANCELLED and will not run. */
        CANCELLED,
        /** The job is running; its handler is asked to stop, and the job ends CANCELLED. */
        REQUESTED,
        /** The job had already finished; nothing changed. */
        ALREADY_FINISHED
    }

    /** @param job the job after the cancellation */
    public record Cancellation(Result result, Job job) {
    }

    private final Database database;
    private final Clock clock;

    /** For CDI proxies. */
    protected JobCancels() {
        this(null, null);
    }

    public JobCancels(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Cancels a waiting job at once. */
    private static final String CANCEL_WAITING = "UPDATE worker_job SET " + Change.CANCEL.set() + ", finished_at = ?, updated_at = ? "
            + "WHERE id = ? AND " + Change.CANCEL.guard();

    /** Keeps the request with a job that is to stop, in the state it can end CANCELLED from once its handler returns. */
    private static final String ASK_TO_STOP = "UPDATE worker_job SET cancel_requested_at = ?, updated_at = ? "
            + "WHERE id = ? AND " + Change.STOP_CANCELLED.guard();

    /**
     * @param detail who asked, for the job's history
     * @return what happened, or empty if there is no such job
     */
    public Optional<Cancellation> cancel(String id, String detail) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                try (PreparedStatement s = c.prepareStatement(CANCEL_WAITING)) {
                    s.setTimestamp(1, ts(now));
                    s.setTimestamp(2, ts(now));
                    s.setString(3, id);
                    if (s.executeUpdate() == 1) {
                        event(c, id, JobState.CANCELLED, now, detail);
                        Job cancelled = require(c, id);
                        NoticeStore.owe(c, id, NoticeChannel.owedBy(cancelled, JobState.CANCELLED), now);
                        tx.commit();
                        return Optional.of(new Cancellation(Result.CANCELLED, cancelled));
                    }
                }
                // A claim that took it a moment ago has it RUNNING by now (the update above waited for its lock).
                try (PreparedStatement s = c.prepareStatement(ASK_TO_STOP)) {
                    s.setTimestamp(1, ts(now));
                    s.setTimestamp(2, ts(now));
                    s.setString(3, id);
                    if (s.executeUpdate() == 1) {
                        Job running = require(c, id);
                        tx.commit();
                        return Optional.of(new Cancellation(Result.REQUESTED, running));
                    }
                }
                Optional<Job> finished = byId(c, id);
                tx.commit();
                return finished.map(job -> new Cancellation(Result.ALREADY_FINISHED, job));
            });
        } catch (SQLException e) {
            throw new StoreException("Could not cancel job " + id, e);
        }
    }

    /** @return those of these running jobs whose cancellation has been asked for */
    public Set<String> requested(Collection<String> runningIds) {
        if (runningIds.isEmpty()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(runningIds);
        try {
            return database.withConnection(c -> {
                Set<String> requested = new HashSet<>();
                for (int from = 0; from < ids.size(); from += 100) {
                    List<String> chunk = ids.subList(from, Math.min(from + 100, ids.size()));
                    try (PreparedStatement s = c.prepareStatement("SELECT id FROM worker_job WHERE cancel_requested_at IS NOT NULL "
                            + "AND state = 'RUNNING' AND id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                        for (int i = 0; i < chunk.size(); i++) {
                            s.setString(1 + i, chunk.get(i));
                        }
                        requested.addAll(ids(s));
                    }
                }
                return requested;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not read cancellation requests", e);
        }
    }
}
