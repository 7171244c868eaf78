package io.workerrole.jobs.control;

import io.workerrole.api.RoleHook;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Brings the job store's schema up to date with Flyway before anything else starts. The same
 * migrations exist for Derby and PostgreSQL (db/migration/{derby,postgresql}).
 */
@ApplicationScoped
@Priority(100)
public class SchemaMigration implements RoleHook {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Inject
    JobStoreProducer database;

    @Override
    public boolean onStart() throws SQLException {
        int applied = migrate(database.dataSource());
        LOG.info(() -> "Job store schema up to date (" + applied + " migration(s) applied)");
        return true;
    }

    /** @return how many migrations were applied */
    public static int migrate(DataSource dataSource) throws SQLException {
        Dialect dialect;
        try (Connection connection = dataSource.getConnection()) {
            dialect = Dialect.of(connection);
        }
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
