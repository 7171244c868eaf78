package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.store.JobCancels;
import io.workerrole.jobs.control.store.JobLeases;
import io.workerrole.jobs.entity.Job;
import io.workerrole.platform.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this server's claims alive and takes over the jobs of servers that died: every third
 * of the lease it renews the leases of the jobs running here, and puts jobs whose lease lapsed
 * back in the queue, to resume from their checkpoints. The lease is the rule on Derby and the
 * fallback everywhere: on PostgreSQL a dead server's jobs are taken over within seconds, by its
 * presence lock ({@link PresenceKeeper}), long before their leases lapse. It also passes on cancellations of jobs
 * running here that were asked for through another server, and writes the lines long jobs have
 * logged meanwhile, so that every server can show them. It keeps running while the worker is
 * frozen, because running jobs still need their leases.
 */
@ApplicationScoped
@Named("job-leases")
public class LeaseKeeper implements BackgroundTask {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());

    @Inject
    JobMetrics metrics;

    @Inject
    JobLeases leases;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobSettings settings;

    @Inject
    JobCancels cancels;

    @Inject
    JobLogKeeper logs;

    @Override
    public boolean holdWhileFrozen() {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        do {
            Duration lease = settings.lease();
            try {
                Set<String> running = dispatcher.runningJobIds();
                leases.renewLeases(running, settings.serverId(), lease);
                // Jobs cancelled through another server: their handlers hear of it here.
                cancels.requested(running).forEach(dispatcher::cancel);
                logs.writeRunning();
                List<Job> recovered = leases.recover(null);
                metrics.recovered(recovered);
                if (!recovered.isEmpty()) {
                    LOG.warning(() -> "Took back " + recovered.size() + " job(s) whose server stopped answering: "
                            + recovered.stream().map(Job::id).toList());
                    dispatcher.wake();
                }
            } catch (StoreException e) {
                LOG.log(Level.SEVERE, "Could not renew leases; trying again shortly", e);
            }
        } while (!context.awaitStop(settings.lease().dividedBy(3)));
    }
}
