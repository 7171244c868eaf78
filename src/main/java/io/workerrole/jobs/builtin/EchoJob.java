package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code echo}: the result is the payload. The smallest possible job, for trying and benchmarking. */
@ApplicationScoped
@JobType("echo")
public class EchoJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return job.payload();
    }
}
