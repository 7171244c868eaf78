package io.workerrole.it.support;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;

/**
 * A job type only MetricsIT deploys, so that its counts at /metrics are the test's own work and
 * nothing left in the shared job store by other tests: fails its first {@code failTimes} attempts.
 */
@ApplicationScoped
@JobType("metered")
public class MeteredJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        int failTimes = job.payload() instanceof JsonObject payload ? payload.getInt("failTimes", 0) : 0;
        if (job.attempt() <= failTimes) {
            throw new IllegalStateException("metered job fails attempt " + job.attempt() + " as asked");
        }
        return job.attempt();
    }
}
