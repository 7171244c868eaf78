package io.workerrole.jobs.control.store;

import io.workerrole.jobs.entity.LogLine;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * The {@code worker_job_log} table: the last lines each job's handler wrote through
 * {@code JobLog}. Lines are appended in batches (when an attempt ends, and while a long job
 * runs at each lease renewal), and in the same transaction the job's oldest lines beyond the
 * number it keeps are deleted, so a job never holds more than that many, however much it logs.
 */
public class JobLogs {

    static final int MAX_MESSAGE_LENGTH = 4000;

    private final Database database;

    /** For CDI proxies. */
    protected JobLogs() {
        this(null);
    }

    public JobLogs(Database database) {
        this.database = database;
    }

    /** Appends lines to a job's log and keeps only its last {@code keep} lines. */
    public void append(String jobId, List<LogLine> lines, int keep) {
        if (lines.isEmpty()) {
            return;
        }
        try {
            database.inTransaction(tx -> {
                insert(tx.connection(), jobId, lines.subList(Math.max(0, lines.size() - keep), lines.size()));
                trim(tx.connection(), jobId, keep);
                tx.commit();
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not keep the log lines of job " + jobId, e);
        }
    }

    /** @return the job's kept lines, oldest first */
    public List<LogLine> read(String jobId) {
        try {
            return database.withConnection(c -> Jdbc.query(c, "SELECT logged_at, attempt, level, message FROM worker_job_log WHERE job_id = ? ORDER BY seq",
                    s -> s.setString(1, jobId), rs -> new LogLine(instant(rs.getTimestamp(1)), rs.getInt(2), rs.getString(3), rs.getString(4))));
        } catch (SQLException e) {
            throw new StoreException("Could not read the log of job " + jobId, e);
        }
    }

    private static void insert(Connection c, String jobId, List<LogLine> lines) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO worker_job_log (job_id, attempt, logged_at, level, message) VALUES (?, ?, ?, ?, ?)")) {
            for (LogLine line : lines) {
                s.setString(1, jobId);
                s.setInt(2, line.attempt());
                s.setTimestamp(3, ts(line.at()));
                s.setString(4, line.level());
                s.setString(5, truncate(line.message(), MAX_MESSAGE_LENGTH));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Deletes the job's lines older than its last {@code keep}: the newest line to go is found through the (job_id, seq) index. */
    private static void trim(Connection c, String jobId, int keep) throws SQLException {
        Optional<Long> newestToGo = Jdbc.queryOne(c, "SELECT seq FROM worker_job_log WHERE job_id = ? ORDER BY seq DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY", s -> {
            s.setString(1, jobId);
            s.setInt(2, keep);
        }, rs -> rs.getLong(1));
        if (newestToGo.isPresent()) {
            Jdbc.update(c, "DELETE FROM worker_job_log WHERE job_id = ? AND seq <= ?", s -> {
                s.setString(1, jobId);
                s.setLong(2, newestToGo.get());
            });
        }
    }
}
