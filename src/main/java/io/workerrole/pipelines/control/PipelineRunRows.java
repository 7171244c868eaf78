package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.platform.Jdbc;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.SharedJson.JSON;

/**
 * The {@code worker_pipeline_run} table's one column list and one row mapper, shared by the
 * stores that write runs ({@link PipelineRunStore}) and read them ({@link PipelineRunQueries}).
 * It keeps the definitions the runs started with, parsed once per text: every move reads its run,
 * and a run's definition never changes (its name is a column of its own).
 */
final class PipelineRunRows {

    static final String COLUMNS = "id, seq, pipeline, definition, state, step, attempt, payload, result, error, failed_step, "
            + "idempotency_key, undo_list, undo_next, step_deadline, cancel_requested_at, checked_at, created_at, updated_at, finished_at";
    /** The runs under way: a run in any other state has ended. */
    static final String ACTIVE = "state IN ('RUNNING', 'COMPENSATING')";

    /** The most parsed definitions kept. */
    private static final int MAX_PARSED_DEFINITIONS = 256;

    private final Map<String, Pipeline> parsedDefinitions = new ConcurrentHashMap<>();

    /** Reads a run by its id, on the caller's connection. */
    Optional<PipelineRun> byId(Connection c, String id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM worker_pipeline_run WHERE id = ?", s -> s.setString(1, id), this::run);
    }

    /** Reads the run with this idempotency key in this scope (of this caller), on the caller's connection. */
    Optional<PipelineRun> byIdempotencyKey(Connection c, String scope, String key) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS
                + " FROM worker_pipeline_run WHERE idempotency_key = ? AND idempotency_scope = ?", s -> {
            s.setString(1, key);
            s.setString(2, scope);
        }, this::run);
    }

    /** The row mapper of a query of {@link #COLUMNS}. */
    PipelineRun run(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        return new PipelineRun(id, rs.getLong(2), storedDefinition(id, rs.getString(3), rs.getString(4)),
                PipelineRunState.valueOf(rs.getString(5)), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), undoList(rs.getString(13)), rs.getInt(14),
                instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17)),
                instant(rs.getTimestamp(18)), instant(rs.getTimestamp(19)), instant(rs.getTimestamp(20)));
    }

    /** @return the definition a run started with, parsed once per text */
    private Pipeline storedDefinition(String runId, String pipeline, String json) throws SQLException {
        Pipeline parsed = parsedDefinitions.get(json);
        if (parsed != null) {
            return parsed;
        }
        try {
            parsed = PipelineDefinitions.parse(pipeline, json);
        } catch (InvalidPipelineException e) {
            throw new SQLException("pipeline run " + runId + " holds a definition that cannot be read: " + e.getMessage(), e);
        }
        if (parsedDefinitions.size() >= MAX_PARSED_DEFINITIONS) {
            parsedDefinitions.clear(); // more versions than a worker keeps alive at once: start afresh
        }
        parsedDefinitions.put(json, parsed);
        return parsed;
    }

    /** @return how many parsed definitions are kept now (for the tests of the bound) */
    int parsedDefinitions() {
        return parsedDefinitions.size();
    }

    private static List<String> undoList(String json) {
        if (json == null) {
            return null;
        }
        try (var reader = JSON.createReader(new StringReader(json))) {
            JsonArray ids = reader.readArray();
            return ids.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }
}
