package io.workerrole.jobs.boundary;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.RecentBacklog;
import io.workerrole.jobs.control.dispatch.JobDispatcher;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.BacklogByType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The jobs' gauges at {@code /metrics}: the job store's backlog by state and its lag (what an
 * autoscaler needs), shared by every server of one store, and this server's running jobs and
 * concurrency limit.
 *
 * <p>The backlog is read from the store at most once every {@link RecentBacklog#FRESH}, whatever
 * the number of gauges and scrapers: one query for these gauges and the per-type ones
 * ({@link TypeGauges}). A store that cannot be read shows as NaN, not as an empty queue.
 */
@ApplicationScoped
public class JobGauges {

    /** The states the backlog gauges show. */
    static final List<JobState> STATES = List.of(JobState.QUEUED, JobState.SCHEDULED, JobState.RUNNING, JobState.FAILED, JobState.DEAD);

    @Inject
    MetricRegistry registry;

    @Inject
    RecentBacklog recent;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobSettings settings;

    @Inject
    Clock clock;

    void register(@Observes Startup event) {
        Metadata jobs = Metadata.builder().withName("jobs")
                .withDescription("Jobs in the job store by state (all servers of the store): queued, scheduled, running, failed and waiting for a retry, dead").build();
        for (JobState state : STATES) {
            registry.gauge(jobs, () -> count(state), new Tag("state", state.name()));
        }
        registry.gauge(Metadata.builder().withName("job.queue.oldest.age").withUnit(MetricUnits.SECONDS)
                .withDescription("How long the queued job that has waited longest has waited to start (0 if none is queued)").build(),
                this::oldestAgeSeconds);
        registry.gauge(Metadata.builder().withName("jobs.running").withDescription("Jobs running on this server").build(),
                dispatcher::runningCount);
        registry.gauge(Metadata.builder().withName("job.concurrency.limit")
                .withDescription("How many jobs this server runs at once, at most (worker.concurrency)").build(), settings::concurrency);
    }

    private double count(JobState state) {
        Backlog now = backlog();
        return now == null ? Double.NaN : now.count(state);
    }

    private double oldestAgeSeconds() {
        Backlog now = backlog();
        if (now == null) {
            return Double.NaN;
        }
        return now.oldestQueued() == null ? 0 : Math.max(0, Duration.between(now.oldestQueued(), clock.instant()).toMillis() / 1000.0);
    }

    /** @return the backlog as of a moment ago, or null if the store cannot be read */
    private Backlog backlog() {
        return recent.read().map(BacklogByType::totals).orElse(null);
    }
}
