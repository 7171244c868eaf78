package io.workerrole.platform;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Brings the stores' schema up to date with Flyway. The same migrations exist for Derby and
 * PostgreSQL (db/migration/{derby,postgresql}); the worker runs them at start
 * ({@link SchemaMigrationHook}), the store tests before their first test. A schema
 * that is already at {@link #LATEST} is left alone without starting Flyway, which would take a
 * second or two of every start (its classes, scanning the migrations, validating them) to find
 * nothing to do.
 */
public final class SchemaMigration {

    /** The version of the newest migration (SchemaMigrationIT checks it against db/migration). */
    static final String LATEST = "16";
    /** Flyway's history table, as Flyway names it (quoted, so in lower case on every database). */
    public static final String HISTORY_TABLE = "worker_schema_history";

    private SchemaMigration() {
    }

    /** @return how many migrations were applied */
    public static int migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (isLatest(connection)) {
                return 0;
            }
        }
        Dialect dialect = Dialect.of(dataSource);
        return Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + dialect.name().toLowerCase(Locale.ROOT))
                .table(HISTORY_TABLE)
                .skipDefaultCallbacks(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /**
     * @return true if Flyway's history says the last migration applied is {@link #LATEST} and none
     * failed; false otherwise (a new database, an older schema, a newer one, a failed migration),
     * and then Flyway decides, with its validation, as it always did
     */
    static boolean isLatest(Connection connection) {
        try {
            List<Applied> applied = Jdbc.query(connection, "SELECT \"version\", \"success\" FROM \"" + HISTORY_TABLE + "\" "
                    + "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"", Jdbc.Parameters.NONE,
                    rs -> new Applied(rs.getString(1), rs.getBoolean(2)));
            return applied.stream().allMatch(Applied::success)
                    && !applied.isEmpty() && LATEST.equals(applied.get(applied.size() - 1).version());
        } catch (SQLException e) {
            return false; // no history table yet: a new database
        }
    }

    /** A migration in Flyway's history. */
    private record Applied(String version, boolean success) {
    }
}
