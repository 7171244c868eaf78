package io.workerrole.jobs.control;

import io.workerrole.platform.ClusterLease;
import io.workerrole.platform.Database;
import io.workerrole.platform.Dialect;
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
 * Opens the job store on the data source that {@code worker.datasource} names: one store per
 * concern (recording, claims, outcomes, leases, requeues, queries, logs), each injected where it is
 * needed, and the notices its jobs owe, the retention of finished jobs and the cluster-wide
 * leases. Every store is application-scoped, so each group commit has a single instance.
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

    private Database database() {
        return new Database(dataSource());
    }

    @Produces
    @ApplicationScoped
    JobRecorder recorder() {
        return new JobRecorder(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobClaims claims() {
        try {
            return new JobClaims(database(), clock, Dialect.of(dataSource()));
        } catch (SQLException e) {
            throw new StoreException("Could not open the job store at " + settings.datasource(), e);
        }
    }

    @Produces
    @ApplicationScoped
    JobOutcomes outcomes() {
        return new JobOutcomes(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobLeases jobLeases() {
        return new JobLeases(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobCancels cancels() {
        return new JobCancels(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobRequeues requeues() {
        return new JobRequeues(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobQueries queries() {
        return new JobQueries(database());
    }

    @Produces
    @ApplicationScoped
    JobStatistics statistics() {
        try {
            return new JobStatistics(database(), Dialect.of(dataSource()));
        } catch (SQLException e) {
            throw new StoreException("Could not open the job store at " + settings.datasource(), e);
        }
    }

    @Produces
    @ApplicationScoped
    JobLogs logs() {
        return new JobLogs(database());
    }

    @Produces
    @ApplicationScoped
    NoticeStore notices() {
        return new NoticeStore(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobRetention retention() {
        return new JobRetention(database());
    }

    @Produces
    @ApplicationScoped
    ClusterLease leases() {
        return new ClusterLease(database(), clock);
    }
}
