package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.RoleHook;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.store.JobLeases;
import io.workerrole.jobs.entity.Job;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.logging.Logger;

/**
 * At start, before any job is claimed, puts back in the queue the jobs this server was running
 * when it last went down (killed, or stopped past its wait): they resume from their checkpoints
 * without waiting for their leases to lapse.
 */
@ApplicationScoped
@Priority(300)
public class JobRecovery implements RoleHook {

    private static final Logger LOG = Logger.getLogger(JobRecovery.class.getName());

    @Inject
    JobMetrics metrics;

    @Inject
    JobLeases leases;

    @Inject
    JobSettings settings;

    @Override
    public boolean onStart() {
        List<Job> recovered = leases.recover(settings.serverId());
        metrics.recovered(recovered);
        if (!recovered.isEmpty()) {
            LOG.warning(() -> "Resuming " + recovered.size() + " job(s) that were running when " + settings.serverId()
                    + " last went down: " + recovered.stream().map(Job::id).toList());
        }
        return true;
    }
}
