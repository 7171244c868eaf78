package io.workerrole.schedules.control;

import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.time.Clock;

/**
 * Opens the schedules' stores on the job store's database, so that a firing and its job share a
 * transaction: the definitions, and the firing ledger, which starts each firing's job through the
 * jobs' front door ({@link JobService} as {@code JobsInTransaction}) on the claim's connection.
 */
@ApplicationScoped
public class ScheduleStoreProducer {

    @Inject
    WorkerDatabase database;

    @Inject
    JobService jobs;

    @Inject
    Clock clock;

    @Produces
    @ApplicationScoped
    FiringLedger ledger() {
        return new FiringLedger(database.database(), jobs, clock);
    }

    @Produces
    @ApplicationScoped
    ScheduleDefinitionStore definitions(FiringLedger ledger) {
        return new ScheduleDefinitionStore(database.database(), ledger, clock);
    }
}
