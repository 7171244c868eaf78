package io.workerrole.jobs.control.notices;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.platform.StoreOutage;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.control.store.NoticeStore;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.Notice;
import io.workerrole.platform.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Sends the notices that are due: those whose sending failed (after their backoff) and those
 * whose server died before sending them (once their claim lapses), on whichever server gets to
 * them first. It keeps running while the worker is frozen: notices report work already done.
 */
@ApplicationScoped
@Named("job-notices")
public class NoticeSweeper implements BackgroundTask {

    /** How often it looks for due notices: the resolution of their retries. */
    static final Duration SWEEP = Duration.ofSeconds(1);
    /** Notices claimed per sweep; a full batch is followed by the next at once. */
    static final int BATCH = 50;
    private static final Logger LOG = Logger.getLogger(NoticeSweeper.class.getName());

    @Inject
    NoticeStore notices;

    @Inject
    JobQueries jobs;

    @Inject
    ResultNotifier notifier;

    private final StoreOutage outage = new StoreOutage(LOG, "due notices wait");

    @Override
    public boolean holdWhileFrozen() {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        boolean more;
        do {
            more = sweep() == BATCH;
        } while (more ? !context.stopRequested() : !context.awaitStop(pause()));
    }

    /** @return the wait before the next sweep: a sweep's interval, longer while the store is down */
    private Duration pause() {
        Duration backoff = outage.isOngoing() ? outage.nextPause() : Duration.ZERO;
        return backoff.compareTo(SWEEP) > 0 ? backoff : SWEEP;
    }

    /** @return how many due notices it claimed (and sent, or handed to the HTTP client) */
    private int sweep() {
        try {
            List<Notice> due = notices.claimDue(BATCH);
            for (Notice notice : due) {
                Optional<Job> job = jobs.find(notice.jobId());
                if (job.isPresent()) {
                    notifier.send(notice, job.get(), job.get().state(), job.get().result(), job.get().error());
                } else {
                    notices.done(notice);
                }
            }
            outage.succeeded();
            return due.size();
        } catch (SQLException | StoreException e) {
            outage.failed(e);
            return 0;
        }
    }
}
