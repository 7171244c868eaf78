package io.workerrole.it.support;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code added-in-v2}: the job type of the second build in RollingUpgradeIT, which the packaged
 * WAR (the first build) lacks; {@link NextRelease} adds it. Its result is its payload, as
 * {@code echo}'s.
 */
@ApplicationScoped
@JobType(AddedInV2Job.TYPE)
public class AddedInV2Job implements JobHandler {

    public static final String TYPE = "added-in-v2";

    @Override
    public Object handle(JobContext job) {
        return job.payload();
    }
}
