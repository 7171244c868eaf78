package io.workerrole.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The one database every capability keeps its tables in: the data source that
 * {@code worker.datasource} names. Jobs, schedules, pipelines and servers open their stores on it,
 * so that a schedule's firing and the job it starts, or a pipeline's step and its job, are
 * written in one transaction; the schema of all of them is migrated on it
 * ({@link SchemaMigrationHook}); and the cluster-wide leases live in it.
 */
@ApplicationScoped
public class WorkerDatabase {

    @Inject
    WorkerSettings settings;

    @Inject
    Clock clock;

    /** @return the data source the worker is configured to use */
    public DataSource dataSource() {
        String name = settings.datasource();
        try {
            return InitialContext.doLookup(name);
        } catch (NamingException e) {
            throw new StoreException("No data source at " + name + " (setting " + WorkerSettings.DATASOURCE + ")", e);
        }
    }

    /** @return connections and transactions on {@link #dataSource()} */
    public Database database() {
        return new Database(dataSource());
    }

    /** @return what kind of database {@link #dataSource()} is, for the SQL that differs */
    public Dialect dialect() {
        try {
            return Dialect.of(dataSource());
        } catch (SQLException e) {
            throw new StoreException("Could not open the database at " + settings.datasource(), e);
        }
    }

    @Produces
    @ApplicationScoped
    ClusterLease leases() {
        return new ClusterLease(database(), clock);
    }
}
