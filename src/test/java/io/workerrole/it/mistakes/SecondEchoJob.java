package io.workerrole.it.mistakes;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;

/** A mistake: a second handler for a type that a built-in handler has. */
@ApplicationScoped
@JobType("echo")
public class SecondEchoJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return job.payload();
    }
}
