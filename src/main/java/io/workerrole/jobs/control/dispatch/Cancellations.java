package io.workerrole.jobs.control.dispatch;

import io.workerrole.jobs.control.JobEvents;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.notices.ResultNotifier;
import io.workerrole.jobs.control.store.JobCancels.Cancellation;
import io.workerrole.jobs.control.store.JobCancels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Where every cancellation comes in (the API, {@code Jobs.cancel}): records it in the job store
 * and, for a job that runs on this server, tells its handler at once; a job running on another
 * server hears of it at that server's next lease renewal ({@link LeaseKeeper}).
 */
@ApplicationScoped
public class Cancellations {

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    @Inject
    JobCancels cancels;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobEvents events;

    @Inject
    ResultNotifier notifier;

    @Inject
    JobMetrics metrics;

    /**
     * @param by who asks, for the log and the job's history
     * @return what happened, or empty if there is no such job
     */
    public Optional<Cancellation> cancel(String jobId, String by) {
        Optional<Cancellation> cancellation = cancels.cancel(jobId, "cancelled by " + by);
        cancellation.ifPresent(c -> {
            String tag = "[job " + jobId + " " + c.job().type() + "] ";
            switch (c.result()) {
                case CANCELLED -> {
                    LOG.info(() -> tag + "cancelled by " + by + " before it ran");
                    events.changed(jobId, c.job().type(), c.job().state(), null);
                    metrics.finished(c.job().type(), c.job().state());
                    notifier.finished(c.job(), c.job().state(), null, "cancelled");
                }
                case REQUESTED -> {
                    if (!dispatcher.cancel(jobId)) {
                        LOG.info(() -> tag + "cancelled by " + by + " while it runs on " + c.job().owner() + ", which will tell its handler");
                    }
                }
                case ALREADY_FINISHED -> LOG.fine(() -> tag + "not cancelled: it is already " + c.job().state());
            }
        });
        return cancellation;
    }
}
