package io.workerrole.schedules.control;

import io.workerrole.api.JobState;
import io.workerrole.api.MissedFirings;
import io.workerrole.jobs.control.JobDispatcher;
import io.workerrole.jobs.control.JobEvents;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.role.control.FreezeSwitch;
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
    ScheduleStore store;

    @Inject
    JobSettings jobSettings;

    @Inject
    HandlerRegistry handlers;

    @Inject
    FreezeSwitch freeze;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobEvents events;

    @Inject
    JobMetrics jobMetrics;

    @Inject
    ScheduleMetrics metrics;

    /**
     * Fires a schedule for the instant it was due.
     *
     * @return the firing, or empty if another server fired it or the schedule changed meanwhile
     */
    public Optional<Firing> fire(Schedule schedule, Instant scheduledFor) {
        String server = jobSettings.serverId();
        Optional<Firing> firing = store.fire(schedule, schedule.scope(server), scheduledFor, server, freeze.isFrozen(),
                job(schedule, scheduledFor));
        firing.ifPresent(f -> report(schedule, f));
        return firing;
    }

    /** Records firings missed while no server ran the schedule, and runs once for them if its policy says so. */
    public Optional<Firing> missed(Schedule schedule, MissedFiringCheck.Missed missed) {
        String server = jobSettings.serverId();
        MissedFirings policy = schedule.definition().missed();
        String detail = missed.describe() + "; policy " + policy + (policy == MissedFirings.RUN_ONCE
                ? ": one run now for them" : ": none run, the schedule goes on at its next firing");
        Optional<Firing> firing = store.missed(schedule, schedule.scope(server), missed.last(), server, detail,
                policy == MissedFirings.RUN_ONCE ? job(schedule, missed.last()) : null);
        firing.ifPresent(f -> report(schedule, f));
        return firing;
    }

    /** @return the job of the schedule's latest run on this server's scope */
    public Optional<Job> lastJob(Schedule schedule) {
        return store.lastJob(schedule.name(), schedule.scope(jobSettings.serverId()));
    }

    /** @return the schedule's latest firing in this server's scope */
    public Optional<Firing> lastFiring(Schedule schedule) {
        return store.lastFiring(schedule.name(), schedule.scope(jobSettings.serverId()));
    }

    private NewJob job(Schedule schedule, Instant scheduledFor) {
        ScheduleDefinition d = schedule.definition();
        JobRequest request = new JobRequest(d.jobType(), d.payload(), null, null, null, null, d.priority(), false);
        return new NewJob(request, JobSource.SCHEDULE, d.priority(), handlers.maxAttempts(d.jobType()), null,
                "schedule " + d.name() + " " + scheduledFor, null, scheduledFor);
    }

    private void report(Schedule schedule, Firing firing) {
        String prefix = "[schedule " + schedule.name() + "] firing of " + firing.scheduledFor();
        metrics.recorded(firing);
        if (firing.jobId() != null) {
            events.changed(firing.jobId(), schedule.definition().jobType(), JobState.QUEUED, null);
            jobMetrics.enqueued(schedule.definition().jobType(), JobSource.SCHEDULE);
            dispatcher.wake();
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
