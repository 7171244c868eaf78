package io.workerrole.schedules.control;

import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.WorkerDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.time.Clock;

/** Opens the schedule store on the job store's database, so that a firing and its job share a transaction. */
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
    ScheduleStore store() {
        return new ScheduleStore(database.database(), jobs, clock);
    }
}
