package io.workerrole.platform;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Brings the stores' schema up to date with Flyway. The same migrations exist for Derby and
 * PostgreSQL (db/migration/{derby,postgresql}); the worker runs them at start
 * ({@code jobs.control.SchemaMigrationHook}), the store tests before their first test.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    /** @return how many migrations were applied */
    public static int migrate(DataSource dataSource) throws SQLException {
        Dialect dialect = Dialect.of(dataSource);
        return Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + dialect.name().toLowerCase(Locale.ROOT))
                .table("worker_schema_history")
                .skipDefaultCallbacks(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
