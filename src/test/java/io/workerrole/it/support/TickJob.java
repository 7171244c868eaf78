package io.workerrole.it.support;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** A handler with schedules declared in code: one that runs every second, one that is not valid. */
@ApplicationScoped
@JobType("tick")
@Scheduled(name = "code-tick", every = "PT1S", payload = "{\"from\": \"code\"}")
@Scheduled(name = "code-bad", cron = "every now and then")
public class TickJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return job.payload();
    }
}
