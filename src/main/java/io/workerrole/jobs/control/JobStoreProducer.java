package io.workerrole.jobs.control;

import io.workerrole.platform.ClusterLease;
import io.workerrole.platform.Database;
import io.workerrole.platform.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Opens the job store, the notices its jobs owe, the retention of finished jobs and the
 * cluster-wide leases on the data source that {@code worker.datasource} names.
 */
@ApplicationScoped
public class JobStoreProducer {

    @Inject
    JobSettings settings;

    @Inject
    Clock clock;

    /** @return the data source the worker is configured to use */
    public DataSource dataSource() {
        String name = settings.datasource();
        try {
            return InitialContext.doLookup(name);
        } catch (NamingException e) {
            throw new StoreException("No data source at " + name + " (setting " + JobSettings.DATASOURCE + ")", e);
        }
    }

    @Produces
    @ApplicationScoped
    JobStore store() {
        try {
            return JobStore.on(dataSource(), clock);
        } catch (SQLException e) {
            throw new StoreException("Could not open the job store at " + settings.datasource(), e);
        }
    }

    @Produces
    @ApplicationScoped
    NoticeStore notices() {
        return new NoticeStore(new Database(dataSource()), clock);
    }

    @Produces
    @ApplicationScoped
    JobRetention retention() {
        return new JobRetention(new Database(dataSource()));
    }

    @Produces
    @ApplicationScoped
    ClusterLease leases() {
        return new ClusterLease(new Database(dataSource()), clock);
    }
}
