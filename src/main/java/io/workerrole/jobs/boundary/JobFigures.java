package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.RecentBacklog;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.control.store.JobStatistics;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.FinishedMinute;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The job store's figures for readers outside jobs (the dashboard's overview, the per-role
 * gauges): what waits, and what ended when.
 */
@ApplicationScoped
public class JobFigures {

    @Inject
    JobQueries queries;

    @Inject
    JobStatistics statistics;

    @Inject
    RecentBacklog recent;

    /** @return the unfinished and dead jobs by state, and the deepest queues by type (at most {@code queuesShown}) */
    public BacklogByType backlogByType(int queuesShown) {
        return queries.backlogByType(queuesShown);
    }

    /** @return the jobs that ended in each of {@code minutes} minutes from {@code from}, by how they ended, oldest first */
    public List<FinishedMinute> finishedPerMinute(Instant from, int minutes) {
        return statistics.finishedPerMinute(from, minutes);
    }

    /**
     * @return the backlog by type as the gauges at {@code /metrics} read it: at most a couple of
     *         seconds old, one read of the store for every gauge of a scrape; empty while the store
     *         cannot be read
     */
    public Optional<BacklogByType> recentBacklog() {
        return recent.read();
    }
}
