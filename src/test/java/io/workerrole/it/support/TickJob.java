package io.workerrole.it.support;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** A handler with a schedule declared in code, which runs every second (HandlerMistakesIT has a bad one). */
@ApplicationScoped
@JobType("tick")
@Scheduled(name = "code-tick", every = "PT1S", payload = "{\"from\": \"code\"}")
public class TickJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return job.payload();
    }
}
