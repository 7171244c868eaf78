package io.workerrole.jobs.control.intake;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.HandlerRegistry;
import io.workerrole.jobs.control.dispatch.JobDispatcher;
import io.workerrole.jobs.control.JobEvents;
import io.workerrole.jobs.control.JobMetrics;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.TypesInFleet;
import io.workerrole.jobs.control.dispatch.PeerWakeups;
import io.workerrole.jobs.control.notices.ResultNotifier;
import io.workerrole.jobs.control.store.JobRecorder;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.CallerTransaction;
import io.workerrole.platform.SharedJson;
import io.workerrole.platform.rest.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Where every trigger hands in work: validates the request, records the job (or finds the one
 * it duplicates) and wakes the dispatcher. Invalid requests are recorded as REJECTED. A job is
 * accepted when some live server of the fleet runs its type ({@link TypesInFleet}), this one or
 * another: a server takes in work for every role, and the claims route it.
 */
@ApplicationScoped
public class JobIntake {

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    @Inject
    JobRecorder recorder;

    @Inject
    HandlerRegistry handlers;

    @Inject
    TypesInFleet fleet;

    @Inject
    JobSettings settings;

    @Inject
    JobDispatcher dispatcher;

    @Inject
    PeerWakeups peers;

    @Inject
    JobEvents events;

    @Inject
    ResultNotifier notifier;

    @Inject
    JobMetrics metrics;

    @Inject
    Clock clock;

    /**
     * @return the request in the body, of a type some live server runs (not necessarily this one)
     * @throws InvalidRequestException with the reason if it is not acceptable
     */
    public JobRequest parse(String body) {
        JobRequest request = parser().parse(body);
        if (!fleet.runsSomewhere(request.type())) {
            throw unknownType(request.type());
        }
        return checkPayload(request);
    }

    /**
     * Reads a batch of job messages, each judged on its own, as {@link #parse} judges one.
     *
     * @throws InvalidRequestException if the body is not a batch at all
     */
    public List<JobRequestParser.Element> parseBatch(String body) {
        List<JobRequestParser.Element> elements = parser()
                .parseBatch(body, settings.maxBatchJobs());
        return elements.stream().map(element -> {
            if (element.request() == null) {
                return element;
            }
            try {
                return fleet.runsSomewhere(element.request().type()) ? new JobRequestParser.Element(checkPayload(element.request()), null)
                        : new JobRequestParser.Element(null, unknownType(element.request().type()));
            } catch (InvalidRequestException e) {
                return new JobRequestParser.Element(null, e);
            }
        }).toList();
    }

    /**
     * @return the request (a job from code), of a known type, if it meets the job message's rules
     * @throws InvalidRequestException with the reason if it is not acceptable
     */
    public JobRequest check(JobRequest request) {
        parser().check(request);
        if (!fleet.runsSomewhere(request.type())) {
            throw unknownType(request.type());
        }
        return checkPayload(request);
    }

    /**
     * @return the request, unless its type's handler refuses its payload ({@link PayloadCheck}); a
     *         type whose handler is not here is checked by the server that runs it
     */
    private JobRequest checkPayload(JobRequest request) {
        if (handlers.handler(request.type()).orElse(null) instanceof PayloadCheck check) {
            check.refusal(request.payload() == null ? JsonValue.NULL : SharedJson.readWhole(request.payload())).ifPresent(reason -> {
                throw new InvalidRequestException(Kind.INVALID, reason);
            });
        }
        return request;
    }

    private JobRequestParser parser() {
        return new JobRequestParser(settings.maxPayloadBytes(), settings.callbackAllowedOrigins(), settings.runTimes(clock));
    }

    private InvalidRequestException unknownType(String type) {
        return new InvalidRequestException(Kind.INVALID, "unknown job type \"" + type + "\"; the live servers run " + fleet.all());
    }

    /**
     * Records valid requests as QUEUED jobs together (one transaction for the lot, when none is
     * a duplicate), each unless it duplicates an earlier one.
     *
     * @return one acceptance per request, in order
     */
    public List<Acceptance> submitAll(List<JobRequest> requests, Arrival arrival) {
        return submitAll(requests, Collections.nCopies(requests.size(), arrival));
    }

    /**
     * As {@link #submitAll(List, Arrival)}, each request with its own arrival.
     *
     * @param arrivals one per request
     */
    public List<Acceptance> submitAll(List<JobRequest> requests, List<Arrival> arrivals) {
        List<Acceptance> acceptances = recorder.insertAll(newJobs(requests, arrivals));
        for (int i = 0; i < acceptances.size(); i++) {
            accepted(acceptances.get(i), arrivals.get(i));
        }
        return acceptances;
    }

    /**
     * Records valid requests as QUEUED jobs in the caller's JTA transaction: they exist only if
     * it commits, and the dispatcher hears of them only then.
     *
     * @param arrivals one per request
     * @return one acceptance per request, in order
     */
    public List<Acceptance> submitAllWithin(CallerTransaction transaction, List<JobRequest> requests, List<Arrival> arrivals) {
        List<Acceptance> acceptances = recorder.insertAllWithin(newJobs(requests, arrivals));
        transaction.afterCommit(() -> {
            for (int i = 0; i < acceptances.size(); i++) {
                accepted(acceptances.get(i), arrivals.get(i));
            }
        });
        return acceptances;
    }

    private List<NewJob> newJobs(List<JobRequest> requests, List<Arrival> arrivals) {
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            jobs.add(newJob(requests.get(i), arrivals.get(i)));
        }
        return jobs;
    }

    /** Records a valid request as a QUEUED job, unless it duplicates an earlier one. */
    public Acceptance submit(JobRequest request, Arrival arrival) {
        Acceptance acceptance = recorder.insert(newJob(request, arrival));
        accepted(acceptance, arrival);
        return acceptance;
    }

    private NewJob newJob(JobRequest request, Arrival arrival) {
        // A type's own default (a script's settings.job) outranks a message's JMSPriority, which every message has.
        int priority = request.priority() != null ? request.priority()
                : handlers.defaultPriority(request.type())
                .orElse(arrival.priority() != null ? arrival.priority() : JobRequest.DEFAULT_PRIORITY);
        String replyTo = arrival.replyTo() != null ? arrival.replyTo()
                : request.reply() ? JmsDestinations.jndi(settings.replyQueue()) : null;
        return new NewJob(request, arrival.source(), priority, handlers.maxAttempts(request.type()),
                arrival.messageId(), arrival.correlationId(), replyTo, arrival.enqueuedAt(), arrival.idempotencyScope());
    }

    private void accepted(Acceptance acceptance, Arrival arrival) {
        String id = acceptance.job().id();
        String type = acceptance.job().type();
        if (acceptance.duplicate()) {
            LOG.info(() -> "[job " + id + " " + type + "] duplicate " + arrival.source() + " request: answered with the existing job");
        } else {
            JobState state = acceptance.job().state();
            LOG.fine(() -> "[job " + id + " " + type + "] " + state.name().toLowerCase(Locale.ROOT) + " from " + arrival.source());
            events.changed(id, type, state, null);
            metrics.enqueued(acceptance.job());
            if (state == JobState.SCHEDULED) {
                dispatcher.dueAt(acceptance.job().runAfter());
                peers.dueAt(acceptance.job().runAfter(), type);
            } else {
                dispatcher.wake();
                peers.queued(type);
            }
        }
    }

    /** Records an invalid request as REJECTED and replies if a reply was asked for. */
    public Acceptance reject(String type, String body, String reason, Arrival arrival) {
        NewJob job = new NewJob(null, arrival.source(), JobRequest.DEFAULT_PRIORITY, 0, arrival.messageId(),
                arrival.correlationId(), arrival.replyTo(), arrival.enqueuedAt());
        Acceptance acceptance = recorder.insertRejected(type, body, reason, job);
        if (!acceptance.duplicate()) {
            String id = acceptance.job().id();
            LOG.warning(() -> "[job " + id + "] rejected " + arrival.source() + " request: " + reason);
            events.changed(id, acceptance.job().type(), JobState.REJECTED, reason);
            metrics.finished(acceptance.job().type(), JobState.REJECTED);
            notifier.finished(acceptance.job(), JobState.REJECTED, null, reason);
        }
        return acceptance;
    }
}
