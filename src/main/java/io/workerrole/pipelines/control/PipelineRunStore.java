package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;
import static io.workerrole.platform.SharedJson.JSON;

/**
 * The changes of pipeline runs ({@code worker_pipeline_run}). A run is started and moved inside
 * the {@link PipelineConductor}'s transactions, on the connection it passes (these methods throw
 * SQLException: the caller's transaction decides); each move starts with {@link #lockActive},
 * which holds the run's row until the transaction ends, so two moves of one run never interleave.
 * A cancel request and the deletion of ended runs run in transactions of their own and throw
 * {@link StoreException}. The reads are {@link PipelineRunQueries}'.
 */
public class PipelineRunStore {

    static final int MAX_ERROR_LENGTH = 4000;
    /** The longest step name failed_step keeps: a pipeline stored before that bound was checked may have a longer one. */
    static final int MAX_STEP_NAME_LENGTH = 100;

    private final Database database;
    private final PipelineRunRows rows;
    private final PipelineJobLinks links;

    /** For CDI proxies. */
    protected PipelineRunStore() {
        this(null, null, null);
    }

    public PipelineRunStore(Database database, PipelineRunRows rows, PipelineJobLinks links) {
        this.database = database;
        this.rows = rows;
        this.links = links;
    }

    /** The database the runs live in, whose transactions the conductor opens. */
    public Database database() {
        return database;
    }

    /** Records a new RUNNING run at its first step; its idempotency key, if any, unique within its scope (its caller's). */
    public void insertRun(Connection c, String id, Pipeline definition, String payload, String idempotencyScope, String idempotencyKey,
                          Instant stepDeadline, Instant now) throws SQLException {
        Jdbc.update(c, "INSERT INTO worker_pipeline_run (id, pipeline, definition, state, step, attempt, "
                + "payload, idempotency_key, step_deadline, checked_at, created_at, updated_at, idempotency_scope) "
                + "VALUES (?, ?, ?, 'RUNNING', 0, 0, ?, ?, ?, ?, ?, ?, ?)", s -> {
            s.setString(1, id);
            s.setString(2, definition.name());
            s.setString(3, PipelineDefinitions.toJson(definition).toString());
            s.setString(4, payload);
            s.setString(5, idempotencyKey);
            s.setTimestamp(6, ts(stepDeadline));
            s.setTimestamp(7, ts(now));
            s.setTimestamp(8, ts(now));
            s.setTimestamp(9, ts(now));
            s.setString(10, idempotencyKey == null ? null : idempotencyScope);
        });
    }

    /**
     * Takes the row lock of a run under way (RUNNING or COMPENSATING), marking it checked, and
     * reads it: other transactions that would change it wait until this one ends.
     *
     * @return the run, or empty if it has ended (or there is none)
     */
    public Optional<PipelineRun> lockActive(Connection c, String id, Instant now) throws SQLException {
        // By the primary key alone, the state checked after: offered the (state, checked_at)
        // index too, a database may read the run through it, locking other runs on the way.
        int checked = Jdbc.update(c, "UPDATE worker_pipeline_run SET checked_at = ? WHERE id = ?", s -> {
            s.setTimestamp(1, ts(now));
            s.setString(2, id);
        });
        if (checked == 0) {
            return Optional.empty();
        }
        return find(c, id).filter(run -> !run.state().isFinal());
    }

    /** Reads a run in the caller's transaction (after a change of its own, say). */
    public Optional<PipelineRun> find(Connection c, String id) throws SQLException {
        return rows.byId(c, id);
    }

    /** @return the run with this idempotency key in this scope, read in the caller's transaction */
    public Optional<PipelineRun> byIdempotencyKey(Connection c, String scope, String key) throws SQLException {
        return rows.byIdempotencyKey(c, scope, key);
    }

    /** The run goes on at this step (or starts it again): its deadline counts from now. */
    public void startedStep(Connection c, String id, int step, int attempt, Instant deadline, Instant now) throws SQLException {
        update(c, "step = ?, attempt = ?, step_deadline = ?", id, now, s -> {
            s.setInt(1, step);
            s.setInt(2, attempt);
            s.setTimestamp(3, ts(deadline));
            return 4;
        });
    }

    public void succeeded(Connection c, String id, String result, Instant now) throws SQLException {
        update(c, "state = 'SUCCEEDED', result = ?, finished_at = ?", id, now, s -> {
            s.setString(1, result);
            s.setTimestamp(2, ts(now));
            return 3;
        });
    }

    /** The run starts to unwind: COMPENSATING, with the reason. */
    public void unwinding(Connection c, String id, String error, String failedStep, Instant now) throws SQLException {
        update(c, "state = 'COMPENSATING', error = ?, failed_step = ?", id, now, s -> {
            s.setString(1, truncate(error, MAX_ERROR_LENGTH));
            s.setString(2, truncate(failedStep, MAX_STEP_NAME_LENGTH));
            return 3;
        });
    }

    /** The compensation at this index of the undo list starts. */
    public void compensating(Connection c, String id, List<String> undoList, int index, Instant now) throws SQLException {
        update(c, "undo_list = ?, undo_next = ?", id, now, s -> {
            s.setString(1, JSON.createArrayBuilder(undoList).build().toString());
            s.setInt(2, index);
            return 3;
        });
    }

    /** The run ends unwound; an error or failed step given replaces the one it had. */
    public void ended(Connection c, String id, PipelineRunState state, String error, String failedStep, Instant now) throws SQLException {
        update(c, "state = ?, error = COALESCE(?, error), failed_step = COALESCE(?, failed_step), finished_at = ?", id, now, s -> {
            s.setString(1, state.name());
            s.setString(2, truncate(error, MAX_ERROR_LENGTH));
            s.setString(3, truncate(failedStep, MAX_STEP_NAME_LENGTH));
            s.setTimestamp(4, ts(now));
            return 5;
        });
    }

    @FunctionalInterface
    private interface Binder {
        int bind(PreparedStatement statement) throws SQLException;
    }

    private static void update(Connection c, String set, String id, Instant now, Binder binder) throws SQLException {
        int updated = Jdbc.update(c, "UPDATE worker_pipeline_run SET " + set + ", updated_at = ? WHERE id = ?", s -> {
            int index = binder.bind(s);
            s.setTimestamp(index++, ts(now));
            s.setString(index, id);
        });
        if (updated != 1) {
            throw new SQLException("pipeline run " + id + " vanished");
        }
    }

    /** @return false unless the run is RUNNING and had no cancel request */
    public boolean requestCancel(String id, Instant now) {
        try {
            return database.inTransaction(tx -> {
                boolean requested = Jdbc.update(tx.connection(), "UPDATE worker_pipeline_run SET cancel_requested_at = ?, "
                        + "updated_at = ? WHERE id = ? AND state = 'RUNNING' AND cancel_requested_at IS NULL", s -> {
                    s.setTimestamp(1, ts(now));
                    s.setTimestamp(2, ts(now));
                    s.setString(3, id);
                }) == 1;
                tx.commit();
                return requested;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not ask pipeline run " + id + " to cancel", e);
        }
    }

    /**
     * Deletes runs that ended before the cutoffs, with their links to their jobs in the same
     * transaction (the jobs go with the jobs' own retention), a batch at a time.
     *
     * @param failedBefore the cutoff for COMPENSATION_FAILED runs, kept as long as dead jobs
     * @return how many runs it deleted
     */
    public int deleteEnded(Instant endedBefore, Instant failedBefore, int limit) {
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                List<String> ids = idsEndedBefore(c, endedBefore, failedBefore, limit);
                links.deleteOfRuns(c, ids);
                if (!ids.isEmpty()) {
                    try (PreparedStatement runs = c.prepareStatement("DELETE FROM worker_pipeline_run WHERE id = ?")) {
                        for (String id : ids) {
                            runs.setString(1, id);
                            runs.addBatch();
                        }
                        runs.executeBatch();
                    }
                }
                tx.commit();
                return ids.size();
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete ended pipeline runs", e);
        }
    }

    private static List<String> idsEndedBefore(Connection c, Instant endedBefore, Instant failedBefore, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        Jdbc.forEach(c, "SELECT id, state, finished_at FROM worker_pipeline_run WHERE finished_at < ? "
                + "ORDER BY finished_at FETCH FIRST " + limit + " ROWS ONLY",
                s -> s.setTimestamp(1, ts(endedBefore.isBefore(failedBefore) ? failedBefore : endedBefore)), rs -> {
            boolean failed = PipelineRunState.valueOf(rs.getString(2)) == PipelineRunState.COMPENSATION_FAILED;
            if (instant(rs.getTimestamp(3)).isBefore(failed ? failedBefore : endedBefore)) {
                ids.add(rs.getString(1));
            }
        });
        return ids;
    }
}
