package io.workerrole.jobs.boundary;

import io.workerrole.api.JobHandler;
import io.workerrole.api.JobState;
import io.workerrole.jobs.control.dispatch.Cancellations;
import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.dispatch.JobDispatcher;
import io.workerrole.jobs.control.dispatch.PeerWakeups;
import io.workerrole.jobs.control.JobEvents;
import io.workerrole.jobs.control.intake.JobIntake;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.control.store.JobRecorder;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.ServerTypes;
import io.workerrole.jobs.control.TypesInFleet;
import io.workerrole.jobs.control.store.NoticeStore;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.JobTypeDefaults;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.NoticeChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The jobs capability's front door for the worker's other capabilities: what schedules,
 * pipelines, scripts, storage and servers need of jobs, and nothing else of {@code jobs} is
 * theirs to use (an ArchUnit rule holds them to it). It starts jobs (through the intake, as any
 * producer's, or recorded in the caller's own transaction, so that a schedule's firing or a
 * pipeline's step and its job commit together), wakes the dispatcher, knows the job types,
 * finds and cancels jobs.
 */
@ApplicationScoped
public class JobService implements JobsInTransaction {

    @Inject
    HandlerRegistry handlers;

    @Inject
    ServerTypes serverTypes;

    @Inject
    TypesInFleet fleet;

    @Inject
    JobIntake intake;

    @Inject
    JobRecorder recorder;

    @Inject
    JobQueries queries;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    PeerWakeups peers;

    @Inject
    JobEvents events;

    @Inject
    JobMetrics metrics;

    @Inject
    Cancellations cancellations;

    @Inject
    JobSettings settings;

    /**
     * @return the job types the fleet runs: this server's, and those of the other live servers
     *         sharing its store, as the intake accepts them (schedules and pipelines name these)
     */
    public SortedSet<String> types() {
        return fleet.all();
    }

    /** @return whether some live server of the fleet runs jobs of the type: a job of it would be accepted */
    public boolean knows(String type) {
        return fleet.runsSomewhere(type);
    }

    /**
     * @return the job types this server runs now: its handlers' and the scripts', narrowed by its
     *         role ({@code worker.types.include}, {@code worker.types.exclude}); what its heartbeat
     *         tells the others
     */
    public SortedSet<String> serverTypes() {
        return serverTypes.types();
    }

    /** @return each handler bean's class, by job type, for the annotations on it ({@code @Scheduled}) */
    public Map<String, Class<?>> handlerClasses() {
        return handlers.handlerClasses();
    }

    /**
     * Adds a type whose handler comes and goes while the worker runs (a script's); adding it again
     * replaces its handler and defaults.
     *
     * @throws IllegalArgumentException if a handler bean has the type
     */
    public void addRuntimeType(String type, JobHandler handler, JobTypeDefaults defaults) {
        handlers.addRuntimeType(type, handler, defaults);
    }

    /** Removes a type added with {@link #addRuntimeType}: its queued jobs wait for a server that runs it. */
    public void removeRuntimeType(String type) {
        handlers.removeRuntimeType(type);
    }

    /**
     * @return the job a schedule's firing starts, named after the firing ({@code correlationId}
     *         "schedule NAME TIME"), enqueued as of the time it was due
     */
    public NewJob scheduledJob(String type, String payload, int priority, String firing, Instant scheduledFor) {
        return new NewJob(JobRequest.plain(type, payload, null, priority), JobSource.SCHEDULE, priority,
                handlers.maxAttempts(type), null, firing, null, scheduledFor);
    }

    /** @return the job of a pipeline run's step or compensation; its key makes a repeated start of the step no second job */
    public NewJob pipelineStep(String type, String payload, String idempotencyKey, int priority, Instant now) {
        return new NewJob(JobRequest.plain(type, payload, idempotencyKey, priority), JobSource.PIPELINE, priority,
                handlers.maxAttempts(type), null, null, null, now);
    }

    /**
     * Records a job in the caller's transaction, which commits it with the caller's own rows.
     * After the commit, the caller tells the dispatcher ({@link #wake()} or {@link #enqueued}).
     *
     * @return the job's id
     */
    @Override
    public String recordWithin(Connection transaction, NewJob job) throws SQLException {
        return recorder.insertNew(transaction, job);
    }

    /**
     * Tells everyone who follows jobs that one recorded with {@link #recordWithin} has committed:
     * the state listeners hear it QUEUED, the metrics count it, the dispatcher wakes, and so do
     * the other servers if it would wait here (see PeerWakeups).
     */
    public void enqueued(String jobId, String type, JobSource source) {
        events.changed(jobId, type, JobState.QUEUED, null);
        metrics.enqueued(type, source);
        dispatcher.wake();
        peers.queued(type);
    }

    /** Wakes the dispatcher to look for jobs now rather than at its next poll. */
    public void wake() {
        dispatcher.wake();
    }

    /**
     * @return the job request a job message with this body would make
     * @throws io.workerrole.platform.rest.InvalidRequestException naming what is wrong with it
     */
    public JobRequest parse(String body) {
        return intake.parse(body);
    }

    /** Accepts a job as the intake accepts any producer's: checked, recorded, dispatched. */
    public Acceptance submit(JobRequest request, Arrival arrival) {
        return intake.submit(request, arrival);
    }

    @Override
    public Optional<Job> findWithin(Connection transaction, String id) throws SQLException {
        return queries.find(transaction, id);
    }

    /**
     * Cancels a job that has not ended: a queued one at once, a running one when its handler
     * next looks.
     *
     * @param by who or what cancels it, for its history
     * @return false if the job had already ended (or does not exist)
     */
    public boolean cancel(String jobId, String by) {
        return cancellations.cancel(jobId, by).isPresent();
    }

    /** Deletes the notice a job owes its pipeline run, in the transaction that moves the run on from it. */
    public void settlePipelineNoticeWithin(Connection transaction, String jobId) throws SQLException {
        NoticeStore.settleWithin(transaction, jobId, NoticeChannel.PIPELINE);
    }

    /** @return how many jobs this server runs now */
    public int running() {
        return dispatcher.runningCount();
    }

    /** @return how many jobs this server runs at once at most ({@code worker.concurrency}) */
    public int slots() {
        return settings.concurrency();
    }
}
