package io.workerrole.schedules.control;

import io.workerrole.jobs.control.JobQueries;
import io.workerrole.jobs.control.JobRecorder;
import io.workerrole.jobs.control.JobStoreProducer;
import io.workerrole.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.time.Clock;

/** Opens the schedule store on the job store's database, so that a firing and its job share a transaction. */
@ApplicationScoped
public class ScheduleStoreProducer {

    @Inject
    JobStoreProducer jobStores;

    @Inject
    JobRecorder recorder;

    @Inject
    JobQueries jobs;

    @Inject
    Clock clock;

    @Produces
    @ApplicationScoped
    ScheduleStore store() {
        return new ScheduleStore(new Database(jobStores.dataSource()), recorder, jobs, clock);
    }
}
