package io.workerrole.jobs.boundary;

import io.workerrole.api.JobInfo;
import io.workerrole.api.JobSpec;
import io.workerrole.api.Jobs;
import io.workerrole.jobs.control.dispatch.Cancellations;
import io.workerrole.platform.SharedJson;
import io.workerrole.platform.rest.InvalidRequestException;
import io.workerrole.jobs.control.intake.JmsDestinations;
import io.workerrole.jobs.control.store.JobCancels;
import io.workerrole.jobs.control.intake.JobIntake;
import io.workerrole.jobs.control.store.JobQueries;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.platform.CallerTransaction;
import io.workerrole.platform.security.IdempotencyScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Queue;
import jakarta.security.enterprise.SecurityContext;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * {@link Jobs} for the application's own code. Idempotency keys are the caller's: of the user the
 * code runs for when it runs in a signed-in request, else the application's own. Each job is
 * turned into the request a job message with its fields reads as, and judged by the same rules as one from JMS or HTTP
 * ({@link io.workerrole.jobs.control.intake.JobRequestParser#check}), so that the ways in cannot drift apart; then it is recorded in the caller's JTA transaction if there is one, or
 * with the jobs other threads record at the same moment (group commit) if not.
 */
@ApplicationScoped
public class JobsFromCode implements Jobs {

    @Inject
    JobIntake intake;

    @Inject
    JobQueries queries;

    @Inject
    CallerTransaction transaction;

    @Inject
    Cancellations cancellations;

    @Inject
    PipelineStarts pipelines;

    @Inject
    Clock clock;

    @Inject
    Jsonb jsonb;

    @Inject
    SecurityContext security;

    @Override
    public String enqueue(String type, Object payload) {
        return enqueue(JobSpec.of(type).payload(payload).build());
    }

    @Override
    public String enqueue(JobSpec job) {
        return enqueueAll(List.of(job)).get(0);
    }

    @Override
    public List<String> enqueueAll(List<JobSpec> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        String caller = caller();
        List<JobRequest> requests = new ArrayList<>(jobs.size());
        List<Arrival> arrivals = new ArrayList<>(jobs.size());
        Map<String, String> replyQueues = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            JobSpec job = jobs.get(i);
            try {
                requests.add(intake.check(request(job, now)));
                String replyTo = job.replyQueue() == null ? null : replyQueues.computeIfAbsent(job.replyQueue(), JobsFromCode::replyQueue);
                arrivals.add(new Arrival(JobSource.CODE, null, null, replyTo, now, null, caller));
            } catch (InvalidRequestException | IllegalArgumentException e) {
                String which = jobs.size() == 1 ? "the " + job.type() + " job" : "job " + i + " (" + job.type() + ") of " + jobs.size();
                throw new IllegalArgumentException("Could not enqueue " + which + ": " + e.getMessage() + "; no job was enqueued", e);
            }
        }
        List<Acceptance> accepted = transaction.active()
                ? intake.submitAllWithin(transaction, requests, arrivals)
                : intake.submitAll(requests, arrivals);
        return accepted.stream().map(acceptance -> acceptance.job().id()).toList();
    }

    @Override
    public String startPipeline(String pipeline, Object payload, String idempotencyKey) {
        return pipelines.start(pipeline, json(payload), IdempotencyScope.of(JobSource.CODE.name(), caller()), idempotencyKey, transaction);
    }

    @Override
    public boolean cancel(String id) {
        JobCancels.Cancellation cancellation = cancellations.cancel(id, "the application")
                .orElseThrow(() -> new NoSuchElementException("no job " + id));
        return cancellation.result() != JobCancels.Result.ALREADY_FINISHED;
    }

    @Override
    public Optional<JobInfo> find(String id) {
        return queries.find(id).map(JobsFromCode::info);
    }

    /**
     * @return the caller of the code that enqueues, or null on a thread nobody signed in on (a
     *         handler, a hook, a timer): its keys are then the application's own ("code")
     */
    private String caller() {
        try {
            return IdempotencyScope.caller(security.getCallerPrincipal());
        } catch (RuntimeException e) {
            return null; // no security context on this thread
        }
    }

    /** @return the request the job stands for: what a job message with the same fields reads as, enqueued now */
    private JobRequest request(JobSpec job, Instant now) {
        // A delay far beyond worker.jobs.maxDelay is refused by the parser's check as the latest
        // instant there is, rather than overflowing here (Duration.ofSeconds(Long.MAX_VALUE)).
        Instant runAt = job.delay() == null ? job.runAt()
                : job.delay().compareTo(Duration.between(now, Instant.MAX)) > 0 ? Instant.MAX : now.plus(job.delay());
        return new JobRequest(job.type(), json(job.payload()), job.idempotencyKey(), job.sequenceKey(), job.sequenceNumber(),
                job.callbackUrl() == null ? null : job.callbackUrl().toString(), job.priority(), false, runAt).withMutex(job.mutex());
    }

    /** @return the payload as JSON text */
    private String json(Object payload) {
        if (payload == null) {
            return JsonValue.NULL.toString();
        }
        if (payload instanceof JsonValue value) {
            return value.toString();
        }
        try {
            return jsonb.toJson(payload);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("its payload, a " + payload.getClass().getName() + ", cannot be bound to JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param jndiName a reply queue's JNDI name (looked up once per call, however many jobs name it)
     * @return the queue as the job store keeps it, after making sure the name is one
     */
    private static String replyQueue(String jndiName) {
        try {
            if (!(InitialContext.doLookup(jndiName) instanceof Queue)) {
                throw new IllegalArgumentException("its reply queue " + jndiName + " is not a JMS queue");
            }
        } catch (NamingException e) {
            throw new IllegalArgumentException("its reply queue " + jndiName + " is not bound in JNDI", e);
        }
        return JmsDestinations.jndi(jndiName);
    }

    private static JobInfo info(Job job) {
        return new JobInfo(job.id(), job.type(), job.state(), job.attempts(), job.progress(), SharedJson.readStored(job.result()),
                job.error(), job.enqueuedAt(), job.startedAt(), job.finishedAt());
    }
}
