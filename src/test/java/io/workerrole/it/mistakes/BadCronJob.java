package io.workerrole.it.mistakes;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** A mistake: a schedule whose cron expression is not one. */
@ApplicationScoped
@JobType("bad-cron")
@Scheduled(name = "bad-cron", cron = "every tuesday")
public class BadCronJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return null;
    }
}
