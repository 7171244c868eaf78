package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
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
            + "owner, run_after, enqueued_at, created_at, started_at, finished_at, updated_at, sequence_key, sequence_number";

    /** The most jobs (or outcomes) written in one transaction. */
    static final int MAX_BATCH = 200;

    private JobRows() {
    }

    /** Reads a job inside a transaction. */
    static Optional<Job> byId(Connection c, String id) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE id = ?", id);
    }

    /** Reads a job the transaction has just written or changed: it must be there. */
    static Job require(Connection c, String id) throws SQLException {
        return byId(c, id).orElseThrow(() -> new SQLException("job " + id + " vanished"));
    }

    static Optional<Job> queryOne(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            List<Job> found = jobs(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** @return the jobs with these ids, in no order */
    static List<Job> findAll(Connection c, List<String> ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM worker_job WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 1, ids.get(i));
            }
            return jobs(s);
        }
    }

    /** Runs a query whose first column is a job's id. */
    static List<String> ids(PreparedStatement s) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Runs a query of {@link #COLUMNS}: the row mapper. */
    static List<Job> jobs(PreparedStatement s) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                jobs.add(new Job(rs.getString("id"), rs.getLong("seq"), rs.getString("type"),
                        JobState.valueOf(rs.getString("state")), rs.getInt("priority"),
                        JobSource.valueOf(rs.getString("source")), rs.getString("payload"), rs.getString("result"),
                        rs.getString("error"), rs.getInt("progress"), rs.getString("checkpoint"), rs.getInt("attempts"),
                        rs.getInt("max_attempts"), rs.getString("idempotency_key"), rs.getString("message_id"),
                        rs.getString("correlation_id"), rs.getString("reply_to"), rs.getString("callback_url"),
                        rs.getString("owner"), instant(rs.getTimestamp("run_after")),
                        instant(rs.getTimestamp("enqueued_at")), instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                        instant(rs.getTimestamp("updated_at")), rs.getString("sequence_key"), sequenceNumber(rs)));
            }
        }
        return jobs;
    }

    private static Long sequenceNumber(ResultSet rs) throws SQLException {
        long number = rs.getLong("sequence_number");
        return rs.wasNull() ? null : number;
    }
}
