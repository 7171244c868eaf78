package io.workerrole.jobs.control;

import io.workerrole.api.RoleHook;
import io.workerrole.platform.SchemaMigration;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * Brings the job store's schema up to date ({@link SchemaMigration}) before anything else
 * starts. It lives here, not in platform, because the data source is the one the jobs'
 * {@code worker.datasource} setting names.
 */
@ApplicationScoped
@Priority(100)
public class SchemaMigrationHook implements RoleHook {

    private static final Logger LOG = Logger.getLogger(SchemaMigrationHook.class.getName());

    @Inject
    JobStoreProducer database;

    @Override
    public boolean onStart() throws SQLException {
        int applied = SchemaMigration.migrate(database.dataSource());
        LOG.info(() -> "Job store schema up to date (" + applied + " migration(s) applied)");
        return true;
    }
}
