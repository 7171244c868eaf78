package io.workerrole.pipelines.control;

import io.workerrole.api.PipelineRunState;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.ts;

/**
 * Reads of pipeline runs ({@code worker_pipeline_run}) outside a move, each on a connection of
 * its own: for the API's lists, and for the supervisor, which finds the runs to move on and those
 * stuck. A run read here may move on at once; a move reads it again under its lock
 * ({@link PipelineRunStore#lockActive}).
 */
public class PipelineRunQueries {

    private final Database database;
    private final PipelineRunRows rows;

    /** For CDI proxies. */
    protected PipelineRunQueries() {
        this(null, null);
    }

    public PipelineRunQueries(Database database, PipelineRunRows rows) {
        this.database = database;
        this.rows = rows;
    }

    public Optional<PipelineRun> find(String id) {
        return read("read pipeline run " + id, c -> rows.byId(c, id));
    }

    /** @return the run with this idempotency key in this scope (of this caller), if any */
    public Optional<PipelineRun> byIdempotencyKey(String scope, String key) {
        return read("read the pipeline run with idempotency key " + key, c -> rows.byIdempotencyKey(c, scope, key));
    }

    /** @return a page of runs, newest first, of one pipeline and in one state where they are given */
    public List<PipelineRun> list(String pipeline, PipelineRunState state, int limit, Long beforeSeq) {
        try {
            return new PagedQuery("SELECT " + PipelineRunRows.COLUMNS + " FROM worker_pipeline_run")
                    .where("pipeline", pipeline)
                    .where("state", state == null ? null : state.name())
                    .page(database, limit, beforeSeq, s -> Jdbc.list(s, rows::run));
        } catch (SQLException e) {
            throw new StoreException("Could not list pipeline runs", e);
        }
    }

    /**
     * @return the ids of the runs under way that the supervisor looks at now: those whose step is
     *         past its deadline, and those not looked at since {@code checkedBefore}, longest first
     */
    public List<String> due(Instant now, Instant checkedBefore, int limit) {
        return read("read the pipeline runs due", c -> Jdbc.query(c, "SELECT id FROM worker_pipeline_run WHERE "
                + PipelineRunRows.ACTIVE + " AND ((state = 'RUNNING' AND step_deadline < ?) OR checked_at < ?) "
                + "ORDER BY checked_at FETCH FIRST " + limit + " ROWS ONLY", s -> {
            s.setTimestamp(1, ts(now));
            s.setTimestamp(2, ts(checkedBefore));
        }, rs -> rs.getString(1)));
    }

    /** @return runs under way that have not moved since {@code before}, longest still first */
    public List<PipelineRun> stuck(Instant before, int limit) {
        return read("read the stuck pipeline runs", c -> Jdbc.query(c, "SELECT " + PipelineRunRows.COLUMNS
                + " FROM worker_pipeline_run WHERE " + PipelineRunRows.ACTIVE + " AND updated_at < ? "
                + "ORDER BY updated_at FETCH FIRST " + limit + " ROWS ONLY",
                s -> s.setTimestamp(1, ts(before)), rows::run));
    }

    private <T> T read(String what, Database.ConnectionWork<T> work) {
        try {
            return database.withConnection(work);
        } catch (SQLException e) {
            throw new StoreException("Could not " + what, e);
        }
    }
}
