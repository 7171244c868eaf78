package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;

/**
 * The {@code worker_job} table's one column list and one row mapper, and the reads by id that
 * every job store does inside its own transactions. Every store reads a job the same way, so a
 * new column is added here once.
 */
final class JobRows {

    static final int MAX_ERROR_LENGTH = 4000;
    static final String COLUMNS = "id, seq, type, state, priority, source, payload, result, error, progress, "
            + "checkpoint, attempts, max_attempts, idempotency_key, message_id, correlation_id, reply_to, callback_url, "
            + "owner, run_after, enqueued_at, created_at, started_at, finished_at, updated_at, sequence_key, sequence_number, mutex_key";

    /** The most jobs (or outcomes) written in one transaction. */
    static final int MAX_BATCH = 200;

    private JobRows() {
    }

    /** Every column of the table, the start of each query {@link #job} maps. */
    static final String SELECT = "SELECT " + COLUMNS + " FROM worker_job";

    /** Reads a job inside a transaction. */
    static Optional<Job> byId(Connection c, String id) throws SQLException {
        return Jdbc.queryOne(c, SELECT + " WHERE id = ?", s -> s.setString(1, id), JobRows::job);
    }

    /** Reads a job the transaction has just written or changed: it must be there. */
    static Job require(Connection c, String id) throws SQLException {
        return byId(c, id).orElseThrow(() -> new SQLException("job " + id + " vanished"));
    }

    /** @return the jobs with these ids, in no order */
    static List<Job> findAll(Connection c, List<String> ids) throws SQLException {
        return Jdbc.query(c, SELECT + " WHERE id IN (" + Jdbc.placeholders(ids.size()) + ")", s -> {
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 1, ids.get(i));
            }
        }, JobRows::job);
    }

    /** Runs a query whose first column is a job's id. */
    static List<String> ids(PreparedStatement s) throws SQLException {
        return Jdbc.list(s, rs -> rs.getString(1));
    }

    /** Runs a query of {@link #COLUMNS}. */
    static List<Job> jobs(PreparedStatement s) throws SQLException {
        return Jdbc.list(s, JobRows::job);
    }

    /** The row mapper of a query of {@link #COLUMNS}. */
    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), rs.getLong("seq"), rs.getString("type"),
                JobState.valueOf(rs.getString("state")), rs.getInt("priority"),
                JobSource.valueOf(rs.getString("source")), rs.getString("payload"), rs.getString("result"),
                rs.getString("error"), rs.getInt("progress"), rs.getString("checkpoint"), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getString("idempotency_key"), rs.getString("message_id"),
                rs.getString("correlation_id"), rs.getString("reply_to"), rs.getString("callback_url"),
                rs.getString("owner"), instant(rs.getTimestamp("run_after")),
                instant(rs.getTimestamp("enqueued_at")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                instant(rs.getTimestamp("updated_at")), rs.getString("sequence_key"), sequenceNumber(rs),
                rs.getString("mutex_key"));
    }

    private static Long sequenceNumber(ResultSet rs) throws SQLException {
        long number = rs.getLong("sequence_number");
        return rs.wasNull() ? null : number;
    }
}
