package io.workerrole.testing;

import io.workerrole.jobs.control.store.JobCancels;
import io.workerrole.jobs.control.store.JobClaims;
import io.workerrole.jobs.control.store.JobLeases;
import io.workerrole.jobs.control.store.JobOutcomes;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.control.store.JobRecorder;
import io.workerrole.jobs.control.store.JobRequeues;
import io.workerrole.platform.Database;
import io.workerrole.platform.Dialect;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;

/** Every job store on one database, opened as {@code JobStoreProducer} opens them, for the store tests. */
public record JobStores(Dialect dialect, JobRecorder recorder, JobClaims claims, JobOutcomes outcomes, JobLeases leases,
                 JobRequeues requeues, JobQueries queries, JobCancels cancels) {

    public static JobStores on(DataSource dataSource, Clock clock) throws SQLException {
        Database database = new Database(dataSource);
        Dialect dialect = Dialect.of(dataSource);
        return new JobStores(dialect, new JobRecorder(database, clock), new JobClaims(database, clock, dialect),
                new JobOutcomes(database, clock), new JobLeases(database, clock), new JobRequeues(database, clock),
                new JobQueries(database), new JobCancels(database, clock));
    }
}
