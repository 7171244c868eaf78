package io.workerrole.it.dashboard;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job type only DashboardIT deploys: fails every attempt until its job has been requeued, then
 * succeeds. So a job of this type ends DEAD, and SUCCEEDED once an operator requeues it. A
 * requeued job counts its attempts from 1 again: a job this handler has run more often than
 * its attempt number says has been requeued. The error names the payload's {@code batch}, so
 * that each run of the test has a dead-letter group of its own in a job store that outlives it.
 */
@ApplicationScoped
@JobType("dashboard-relenting")
public class RelentingJob implements JobHandler {

    static final String ERROR = "refuses until it is requeued";

    private final Map<String, Integer> runs = new ConcurrentHashMap<>();

    @Override
    public Object handle(JobContext job) {
        int run = runs.merge(job.jobId(), 1, Integer::sum);
        if (run == job.attempt()) {
            String batch = job.payload() instanceof JsonObject payload ? payload.getString("batch", "") : "";
            throw new IllegalStateException("batch " + batch + " " + ERROR);
        }
        return Map.of("runs", run);
    }
}
