package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Transition;
import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import static io.workerrole.jobs.control.store.JobRows.MAX_ERROR_LENGTH;
import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * The {@code worker_job_event} table: each job's history, one entry per change of state. The
 * stores write an entry on the connection of the transaction that makes the change, so a job's
 * state and its history never disagree.
 */
final class JobHistory {

    private JobHistory() {
    }

    /** One entry of a job's history, about to be written. */
    record HistoryEntry(String jobId, JobState state, Instant at, String detail) {
    }

    static void event(Connection c, String jobId, JobState state, Instant at, String detail) throws SQLException {
        appendHistory(c, List.of(new HistoryEntry(jobId, state, at, detail)));
    }

    /** Records one transition for many jobs, in one batch. */
    static void events(Connection c, List<String> jobIds, JobState state, Instant at, String detail) throws SQLException {
        appendHistory(c, jobIds.stream().map(id -> new HistoryEntry(id, state, at, detail)).toList());
    }

    /** Writes history entries in one batch. */
    static void appendHistory(Connection c, List<HistoryEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_job_event (job_id, state, entered_at, detail) VALUES (?, ?, ?, ?)")) {
            for (HistoryEntry entry : entries) {
                s.setString(1, entry.jobId());
                s.setString(2, entry.state().name());
                s.setTimestamp(3, ts(entry.at()));
                if (entry.detail() == null) {
                    s.setNull(4, Types.VARCHAR);
                } else {
                    s.setString(4, truncate(entry.detail(), MAX_ERROR_LENGTH));
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** @return the job's history, oldest first */
    static List<Transition> read(Connection c, String jobId) throws SQLException {
        return Jdbc.query(c, "SELECT state, entered_at, detail FROM worker_job_event WHERE job_id = ? ORDER BY seq",
                s -> s.setString(1, jobId), rs -> new Transition(JobState.valueOf(rs.getString(1)), instant(rs.getTimestamp(2)), rs.getString(3)));
    }
}
