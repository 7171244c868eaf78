package io.workerrole.platform;

import io.workerrole.api.RoleHook;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * Brings the job store's schema up to date ({@link SchemaMigration}) before anything else
 * starts: the tables of every capability, in the worker's one database ({@link WorkerDatabase}).
 */
@ApplicationScoped
@Priority(100)
public class SchemaMigrationHook implements RoleHook {

    private static final Logger LOG = Logger.getLogger(SchemaMigrationHook.class.getName());

    @Inject
    WorkerDatabase database;

    @Override
    public boolean onStart() throws SQLException {
        int applied = SchemaMigration.migrate(database.dataSource());
        LOG.info(() -> "Job store schema up to date (" + applied + " migration(s) applied)");
        return true;
    }
}
