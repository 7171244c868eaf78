package io.workerrole.jobs.control.store;

import io.workerrole.jobs.control.retention.JobRetention;
import io.workerrole.platform.Database;
import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.time.Clock;

/**
 * Opens the job store on the worker's database ({@link WorkerDatabase}): one store per
 * concern (recording, claims, fleet-wide limits, outcomes, leases, requeues, queries, logs), each injected where it is
 * needed, the notices its jobs owe and the retention of finished jobs. Every store is application-scoped, so each group commit has a single instance.
 */
@ApplicationScoped
public class JobStoreProducer {

    @Inject
    WorkerDatabase workerDatabase;

    @Inject
    Clock clock;

    private Database database() {
        return workerDatabase.database();
    }

    @Produces
    @ApplicationScoped
    JobRecorder recorder() {
        return new JobRecorder(database(), clock);
    }

    @Produces
    @ApplicationScoped
    JobClaims claims() {
        return new JobClaims(database(), clock, workerDatabase.dialect());
    }

    @Produces
    @ApplicationScoped
    TypeLimitStore typeLimits() {
        return new TypeLimitStore(database());
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
        return new JobStatistics(database(), workerDatabase.dialect());
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

}
