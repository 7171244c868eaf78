package io.workerrole.schedules.control;

import io.workerrole.api.MissedFirings;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.FiringOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Turns a schedule's firing into a job, or into a recorded skip: frozen, or the previous run
 * still going. Each firing's job is an ordinary job (source SCHEDULE) with its status, retries
 * and history; its enqueue time is the instant it was due, so its lag shows how late it ran.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger("io.workerrole.schedules");

    @Inject
    FiringLedger ledger;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    JobService jobs;

    @Inject
    RoleLifecycle role;

    @Inject
    ScheduleMetrics metrics;

    /**
     * Fires a schedule for the instant it was due.
     *
     * @return the firing, or empty if another server fired it or the schedule changed meanwhile
     */
    public Optional<Firing> fire(Schedule schedule, Instant scheduledFor) {
        String server = workerSettings.serverId();
        Optional<Firing> firing = ledger.fire(schedule, schedule.scope(server), scheduledFor, server, role.frozen(),
                job(schedule, scheduledFor));
        firing.ifPresent(f -> report(schedule, f));
        return firing;
    }

    /** Records firings missed while no server ran the schedule, and runs once for them if its policy says so. */
    public Optional<Firing> missed(Schedule schedule, MissedFiringCheck.Missed missed) {
        String server = workerSettings.serverId();
        MissedFirings policy = schedule.definition().missed();
        String detail = missed.describe() + "; policy " + policy + (policy == MissedFirings.RUN_ONCE
                ? ": one run now for them" : ": none run, the schedule goes on at its next firing");
        Optional<Firing> firing = ledger.missed(schedule, schedule.scope(server), missed.last(), server, detail,
                policy == MissedFirings.RUN_ONCE ? job(schedule, missed.last()) : null);
        firing.ifPresent(f -> report(schedule, f));
        return firing;
    }

    /** @return the job of the schedule's latest run on this server's scope */
    public Optional<Job> lastJob(Schedule schedule) {
        return ledger.lastJob(schedule.name(), schedule.scope(workerSettings.serverId()));
    }

    /** @return the schedule's latest firing in this server's scope */
    public Optional<Firing> lastFiring(Schedule schedule) {
        return ledger.lastFiring(schedule.name(), schedule.scope(workerSettings.serverId()));
    }

    private NewJob job(Schedule schedule, Instant scheduledFor) {
        ScheduleDefinition d = schedule.definition();
        return jobs.scheduledJob(d.jobType(), d.payload(), d.priority(), "schedule " + d.name() + " " + scheduledFor, scheduledFor);
    }

    private void report(Schedule schedule, Firing firing) {
        String prefix = "[schedule " + schedule.name() + "] firing of " + firing.scheduledFor();
        metrics.recorded(firing);
        if (firing.jobId() != null) {
            jobs.enqueued(firing.jobId(), schedule.definition().jobType(), JobSource.SCHEDULE);
        }
        if (firing.outcome() == FiringOutcome.RAN) {
            LOG.fine(() -> prefix + " started job " + firing.jobId());
        } else if (firing.outcome() == FiringOutcome.MISSED) {
            LOG.warning(() -> prefix + " recorded as missed: " + firing.detail()
                    + (firing.jobId() == null ? "" : " (job " + firing.jobId() + ")"));
        } else {
            LOG.info(() -> prefix + " " + firing.outcome() + ": " + firing.detail());
        }
    }
}
