package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.InvalidJobRequestException.Kind;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.NewJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.logging.Logger;

/**
 * Where every trigger hands in work: validates the request, records the job (or finds the one
 * it duplicates) and wakes the dispatcher. Invalid requests are recorded as REJECTED.
 */
@ApplicationScoped
public class JobIntake {

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    @Inject
    JobStore store;

    @Inject
    HandlerRegistry handlers;

    @Inject
    JobSettings settings;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    JobEvents events;

    @Inject
    ResultNotifier notifier;

    /**
     * @return the request in the body, of a known type
     * @throws InvalidJobRequestException with the reason if it is not acceptable
     */
    public JobRequest parse(String body) {
        JobRequest request = new JobRequestParser(settings.maxPayloadBytes(), settings.callbackAllowedHosts()).parse(body);
        if (!handlers.knows(request.type())) {
            throw new InvalidJobRequestException(Kind.INVALID,
                    "unknown job type \"" + request.type() + "\"; this worker runs " + handlers.types());
        }
        return request;
    }

    /** Records a valid request as a QUEUED job, unless it duplicates an earlier one. */
    public Acceptance submit(JobRequest request, Arrival arrival) {
        int priority = request.priority() != null ? request.priority()
                : arrival.priority() != null ? arrival.priority() : JobRequest.DEFAULT_PRIORITY;
        String replyTo = arrival.replyTo() != null ? arrival.replyTo()
                : request.reply() ? JmsDestinations.jndi(settings.replyQueue()) : null;
        NewJob job = new NewJob(request, arrival.source(), priority, settings.maxAttempts(request.type()),
                arrival.messageId(), arrival.correlationId(), replyTo, arrival.enqueuedAt());
        Acceptance acceptance = store.insert(job);
        String id = acceptance.job().id();
        if (acceptance.duplicate()) {
            LOG.info(() -> "[job " + id + " " + request.type() + "] duplicate " + arrival.source() + " request: answered with the existing job");
        } else {
            LOG.fine(() -> "[job " + id + " " + request.type() + "] queued from " + arrival.source());
            events.changed(id, request.type(), JobState.QUEUED, null);
            dispatcher.wake();
        }
        return acceptance;
    }

    /** Records an invalid request as REJECTED and replies if a reply was asked for. */
    public Acceptance reject(String type, String body, String reason, Arrival arrival) {
        NewJob job = new NewJob(null, arrival.source(), JobRequest.DEFAULT_PRIORITY, 0, arrival.messageId(),
                arrival.correlationId(), arrival.replyTo(), arrival.enqueuedAt());
        Acceptance acceptance = store.insertRejected(type, body, reason, job);
        if (!acceptance.duplicate()) {
            String id = acceptance.job().id();
            LOG.warning(() -> "[job " + id + "] rejected " + arrival.source() + " request: " + reason);
            events.changed(id, acceptance.job().type(), JobState.REJECTED, reason);
            notifier.finished(acceptance.job(), JobState.REJECTED, null, reason);
        }
        return acceptance;
    }
}
