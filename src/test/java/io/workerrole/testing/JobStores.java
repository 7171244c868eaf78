package io.workerrole.testing;

import io.workerrole.jobs.control.store.JobCancels;
import io.workerrole.jobs.control.store.JobClaims;
import io.workerrole.jobs.control.store.JobLeases;
import io.workerrole.jobs.control.store.JobOutcomes;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.control.store.JobRecorder;
import io.workerrole.jobs.control.store.JobRequeues;
import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.Dialect;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Every job store on one database, opened as {@code JobStoreProducer} opens them, for the store tests. */
public record JobStores(Dialect dialect, JobRecorder recorder, JobClaims claims, JobOutcomes outcomes, JobLeases leases,
                 JobRequeues requeues, JobQueries queries, JobCancels cancels, Database database) {

    public static JobStores on(DataSource dataSource, Clock clock) throws SQLException {
        Database database = new Database(dataSource);
        Dialect dialect = Dialect.of(dataSource);
        return new JobStores(dialect, new JobRecorder(database, clock), new JobClaims(database, clock, dialect),
                new JobOutcomes(database, clock), new JobLeases(database, clock), new JobRequeues(database, clock),
                new JobQueries(database), new JobCancels(database, clock), database);
    }

    /**
     * Claims as a server that runs every type would: of whatever types are queued now (a claim
     * takes only the types it is given).
     */
    public List<Job> claimAny(int max, String owner, Duration lease) {
        return claims.claim(max, queuedTypes(), owner, lease);
    }

    /** @return the types of the queued jobs */
    public Set<String> queuedTypes() {
        try {
            return database.withConnection(c -> Set.copyOf(Jdbc.query(c, "SELECT DISTINCT type FROM worker_job WHERE state = ?",
                    s -> s.setString(1, JobState.QUEUED.name()), rs -> rs.getString(1))));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
