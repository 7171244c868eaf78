package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.JobHandler;
import io.workerrole.api.JobState;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.JobEvents;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.notices.ResultNotifier;
import io.workerrole.jobs.control.store.JobOutcomes;
import io.workerrole.jobs.entity.Job;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one claimed job's handler and records how it went: success, a retry later, dead, or
 * (when the worker stops or freezes under it) released back to the queue to resume from its
 * checkpoint.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    @Inject
    JobOutcomes outcomes;

    @Inject
    HandlerRegistry handlers;

    @Inject
    JobSettings settings;

    @Inject
    ResultNotifier notifier;

    @Inject
    JobEvents events;

    @Inject
    SucceededJobsLog successes;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobMetrics metrics;

    @Inject
    JobLogKeeper logs;

    @Inject
    Clock clock;

    @Inject
    Jsonb jsonb;

    /** Wraps a claimed job for running. */
    public RunningJob prepare(Job job) {
        return new RunningJob(job, settings.serverId(), outcomes, jsonb, clock, settings.logLines());
    }

    /**
     * Runs the job's handler on the calling thread and records the outcome.
     *
     * @param handlerReturned told when the handler has returned, before the outcome is recorded
     */
    public void run(RunningJob running, Runnable handlerReturned) {
        Job job = running.job();
        String owner = settings.serverId();
        events.changed(job.id(), job.type(), JobState.RUNNING, null);
        JobHandler handler = handlers.handler(job.type()).orElse(null);
        if (handler == null) {
            // Claims take only the types this server runs: its type went away since (a script's, removed).
            handlerReturned.run();
            handBack(job, owner);
            return;
        }
        metrics.started(job);
        long began = System.nanoTime();
        String result = null;
        Throwable failure = null;
        running.enterHandler();
        try {
            result = toJson(handler.handle(running));
        } catch (Throwable t) {
            failure = t;
        } finally {
            running.leaveHandler();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        handlerReturned.run();
        // Before the outcome: whoever sees the job ended finds all of its lines.
        logs.write(running);
        if (running.cancelRequested()) {
            recordCancelled(running, owner, took);
        } else if (failure == null) {
            recordSuccess(running, owner, result, took);
        } else {
            recordFailure(running, owner, failure, took);
        }
    }

    /**
     * Puts a job claimed here but never started back in the queue, its attempt not counted: the
     * server's executor refused it because the server is stopping.
     */
    public void unstarted(Job job) {
        try {
            if (outcomes.release(job, settings.serverId())) {
                events.changed(job.id(), job.type(), JobState.QUEUED, null);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[job " + job.id() + " " + job.type() + "] could not be put back in the queue; it runs again once "
                    + "another server takes it over", e);
        }
    }

    private void handBack(Job job, String owner) {
        if (outcomes.handBack(job, owner)) {
            LOG.warning(() -> "[job " + job.id() + " " + job.type() + "] claimed, but this server no longer runs type " + job.type()
                    + ": back in the queue for a server that does, the attempt not counted");
            events.changed(job.id(), job.type(), JobState.QUEUED, null);
        }
    }

    private void recordSuccess(RunningJob running, String owner, String result, Duration took) {
        Job job = running.job();
        if (outcomes.succeed(job, owner, result)) {
            successes.succeeded(job, took.toNanos());
            metrics.attemptEnded(job, JobState.SUCCEEDED, took);
            events.changed(job.id(), job.type(), JobState.SUCCEEDED, null);
            notifier.finished(job, JobState.SUCCEEDED, result, null);
        } else {
            LOG.warning(() -> "[job " + job.id() + " " + job.type() + "] finished, but another server had taken it over; its outcome stands");
        }
    }

    private void recordCancelled(RunningJob running, String owner, Duration took) {
        Job job = running.job();
        if (outcomes.cancelled(job, owner)) {
            metrics.attemptEnded(job, JobState.CANCELLED, took);
            LOG.info(() -> "[job " + job.id() + " " + job.type() + "] cancelled while it ran; its handler has returned");
            events.changed(job.id(), job.type(), JobState.CANCELLED, null);
            notifier.finished(job, JobState.CANCELLED, null, "cancelled");
        }
    }

    private void recordFailure(RunningJob running, String owner, Throwable failure, Duration took) {
        Job job = running.job();
        if (running.cancelled()) {
            if (outcomes.release(job, owner)) {
                LOG.info(() -> "[job " + job.id() + " " + job.type() + "] stopped with the worker; back in the queue to resume from its checkpoint");
                events.changed(job.id(), job.type(), JobState.QUEUED, null);
            }
        } else if (failure instanceof NonRetryableJobException) {
            die(running, owner, failure.getMessage(), took);
        } else if (job.attempts() >= job.maxAttempts()) {
            die(running, owner, describe(failure) + " (attempt " + job.attempts() + " of " + job.maxAttempts() + ")", took);
        } else {
            retryLater(running, owner, failure, took);
        }
    }

    private void retryLater(RunningJob running, String owner, Throwable failure, Duration took) {
        Job job = running.job();
        RetryPolicy policy = new RetryPolicy(settings.retryBackoff(job.type()), settings.retryMaxBackoff(job.type()),
                () -> ThreadLocalRandom.current().nextDouble());
        Instant next = clock.instant().plus(policy.delayAfter(job.attempts()));
        String error = describe(failure) + " (attempt " + job.attempts() + " of " + job.maxAttempts() + ")";
        if (outcomes.retryLater(job, owner, error, next)) {
            LOG.log(Level.WARNING, "[job " + job.id() + " " + job.type() + "] failed, retrying at " + next + ": " + error, failure);
            metrics.attemptEnded(job, JobState.FAILED, took);
            events.changed(job.id(), job.type(), JobState.FAILED, error);
            dispatcher.dueAt(next);
        }
    }

    private void die(RunningJob running, String owner, String error, Duration took) {
        Job job = running.job();
        if (outcomes.dead(job, owner, error)) {
            metrics.attemptEnded(job, JobState.DEAD, took);
            LOG.severe(() -> "[job " + job.id() + " " + job.type() + "] dead: " + error);
            events.changed(job.id(), job.type(), JobState.DEAD, error);
            // Its notices include, for a job that came as a message, its copy in the dead-letter queue.
            notifier.finished(job, JobState.DEAD, null, error);
        }
    }

    private String toJson(Object result) {
        if (result == null) {
            return JsonValue.NULL.toString();
        }
        if (result instanceof JsonValue json) {
            return json.toString();
        }
        return jsonb.toJson(result);
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
