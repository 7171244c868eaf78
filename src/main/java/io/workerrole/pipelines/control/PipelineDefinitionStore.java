package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.ts;

/**
 * The pipelines posted as JSON ({@code worker_pipeline}), by name, as {@link PipelineDefinitions}
 * writes and reads them; those declared in code are never stored. A run keeps its own copy of
 * the definition it started with, so a change or deletion here leaves the runs under way as they are.
 */
public class PipelineDefinitionStore {

    /** How a {@link #putDefinition} went. */
    public enum Put { CREATED, REPLACED }

    private final Database database;

    /** For CDI proxies. */
    protected PipelineDefinitionStore() {
        this(null);
    }

    public PipelineDefinitionStore(Database database) {
        this.database = database;
    }

    /** Stores the pipeline under its name, replacing the one of that name if there is one. */
    public Put putDefinition(Pipeline pipeline, Instant now) {
        String json = PipelineDefinitions.toJson(pipeline).toString();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Put put = Jdbc.update(c, "UPDATE worker_pipeline SET definition = ?, updated_at = ? WHERE name = ?", s -> {
                    s.setString(1, json);
                    s.setTimestamp(2, ts(now));
                    s.setString(3, pipeline.name());
                }) == 1 ? Put.REPLACED : Put.CREATED;
                if (put == Put.CREATED) {
                    Jdbc.update(c, "INSERT INTO worker_pipeline (name, definition, updated_at) VALUES (?, ?, ?)", s -> {
                        s.setString(1, pipeline.name());
                        s.setString(2, json);
                        s.setTimestamp(3, ts(now));
                    });
                }
                tx.commit();
                return put;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not store pipeline " + pipeline.name(), e);
        }
    }

    public Optional<Pipeline> definition(String name) {
        try {
            // Parsed under the name asked for, as the API's URL gives it: the JSON's own "name" must be that.
            return database.withConnection(c -> Jdbc.queryOne(c, "SELECT definition FROM worker_pipeline WHERE name = ?",
                    s -> s.setString(1, name), rs -> PipelineDefinitions.parse(name, rs.getString(1))));
        } catch (SQLException e) {
            throw new StoreException("Could not read pipeline " + name, e);
        }
    }

    /** @return the pipelines posted as JSON, by name */
    public List<Pipeline> definitions() {
        try {
            return database.withConnection(c -> Jdbc.query(c, "SELECT name, definition FROM worker_pipeline ORDER BY name",
                    Jdbc.Parameters.NONE, PipelineDefinitionStore::pipeline));
        } catch (SQLException e) {
            throw new StoreException("Could not read the pipelines", e);
        }
    }

    /** @return false if there was no such pipeline */
    public boolean deleteDefinition(String name) {
        try {
            return database.inTransaction(tx -> {
                boolean deleted = Jdbc.update(tx.connection(), "DELETE FROM worker_pipeline WHERE name = ?",
                        s -> s.setString(1, name)) == 1;
                tx.commit();
                return deleted;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete pipeline " + name, e);
        }
    }

    /** The row mapper of a query of name and definition. */
    private static Pipeline pipeline(ResultSet rs) throws SQLException {
        return PipelineDefinitions.parse(rs.getString(1), rs.getString(2));
    }
}
