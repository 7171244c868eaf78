package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.platform.Database;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
                Put put;
                try (PreparedStatement s = c.prepareStatement("UPDATE worker_pipeline SET definition = ?, updated_at = ? WHERE name = ?")) {
                    s.setString(1, json);
                    s.setTimestamp(2, ts(now));
                    s.setString(3, pipeline.name());
                    put = s.executeUpdate() == 1 ? Put.REPLACED : Put.CREATED;
                }
                if (put == Put.CREATED) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_pipeline (name, definition, updated_at) VALUES (?, ?, ?)")) {
                        s.setString(1, pipeline.name());
                        s.setString(2, json);
                        s.setTimestamp(3, ts(now));
                        s.executeUpdate();
                    }
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
            return database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT definition FROM worker_pipeline WHERE name = ?")) {
                    s.setString(1, name);
                    try (ResultSet rs = s.executeQuery()) {
                        // Parsed under the name asked for, as the API's URL gives it: the JSON's own "name" must be that.
                        return rs.next() ? Optional.of(PipelineDefinitions.parse(name, rs.getString(1))) : Optional.empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not read pipeline " + name, e);
        }
    }

    /** @return the pipelines posted as JSON, by name */
    public List<Pipeline> definitions() {
        try {
            return database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT name, definition FROM worker_pipeline ORDER BY name")) {
                    return pipelines(s);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not read the pipelines", e);
        }
    }

    /** @return false if there was no such pipeline */
    public boolean deleteDefinition(String name) {
        try {
            return database.inTransaction(tx -> {
                try (PreparedStatement s = tx.connection().prepareStatement("DELETE FROM worker_pipeline WHERE name = ?")) {
                    s.setString(1, name);
                    boolean deleted = s.executeUpdate() == 1;
                    tx.commit();
                    return deleted;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete pipeline " + name, e);
        }
    }

    /** Runs a query of name and definition: the row mapper. */
    private static List<Pipeline> pipelines(PreparedStatement s) throws SQLException {
        List<Pipeline> pipelines = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                pipelines.add(PipelineDefinitions.parse(rs.getString(1), rs.getString(2)));
            }
        }
        return pipelines;
    }
}
