package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts and times what jobs do, for {@code /metrics} (Prometheus text, docs/operations.md): jobs
 * enqueued by type and source, finished by type and outcome, retried; how long handlers ran and
 * how long jobs waited to start. Labels are job types, sources and outcomes, never job ids: a
 * type only once its handler is known, so that a producer sending made-up types cannot grow the
 * registry without bound.
 *
 * <p>Recorded on the job's own thread after its transaction; a metric is looked up once per
 * label set and kept, as the registry's lookup sorts and compares tags at every call.
 */
@ApplicationScoped
public class JobMetrics {

    /** The type label of a rejected job whose type no handler knows. */
    static final String UNKNOWN_TYPE = "unknown";

    private static final Metadata ENQUEUED = Metadata.builder().withName("jobs.enqueued")
            .withDescription("Jobs accepted (queued or scheduled), by type and by the way they came in").build();
    private static final Metadata FINISHED = Metadata.builder().withName("jobs.finished")
            .withDescription("Jobs that reached an end state (SUCCEEDED, DEAD, CANCELLED, REJECTED), by type").build();
    private static final Metadata RETRIES = Metadata.builder().withName("job.retries")
            .withDescription("Failed attempts that will be tried again, by type").build();
    private static final Metadata DURATION = Metadata.builder().withName("job.duration")
            .withDescription("How long a job's handler ran, per attempt, by type").build();
    private static final Metadata WAIT = Metadata.builder().withName("job.wait")
            .withDescription("How long a job waited from the time it could run (enqueued, or its run time or retry"
                    + " time if later) to its start, by type").build();

    @Inject
    MetricRegistry registry;

    @Inject
    HandlerRegistry handlers;

    private final Map<String, Counter> enqueued = new ConcurrentHashMap<>();
    private final Map<String, Counter> finished = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();

    /** A job was accepted, queued or scheduled. */
    public void enqueued(Job job) {
        enqueued(job.type(), job.source());
    }

    /** A job of this type was accepted from this source, queued or scheduled. */
    public void enqueued(String type, JobSource source) {
        String name = source.name().toLowerCase(Locale.ROOT);
        enqueued.computeIfAbsent(type + '\n' + name, k -> registry.counter(ENQUEUED, new Tag("type", type), new Tag("source", name))).inc();
    }

    /** A job started on this server. */
    public void started(Job job) {
        if (job.startedAt() == null) {
            return;
        }
        Instant couldRun = job.runAfter() != null && job.runAfter().isAfter(job.enqueuedAt()) ? job.runAfter() : job.enqueuedAt();
        Duration waited = Duration.between(couldRun, job.startedAt());
        timer(waits, WAIT, job.type()).update(waited.isNegative() ? Duration.ZERO : waited);
    }

    /** An attempt ended, after its handler ran for {@code took}: with the end state, or FAILED to be retried. */
    public void attemptEnded(Job job, JobState state, Duration took) {
        timer(durations, DURATION, job.type()).update(took);
        if (state == JobState.FAILED) {
            counter(retries, RETRIES, job.type(), null).inc();
        } else {
            finished(job.type(), state);
        }
    }

    /** A job ended without an attempt running: cancelled while queued, dead before it ran, or rejected. */
    public void finished(String type, JobState state) {
        String known = handlers.knows(type) ? type : UNKNOWN_TYPE;
        counter(finished, FINISHED, known, state).inc();
    }

    /** Jobs taken back from a server that stopped answering: those that ended then (DEAD, CANCELLED) are counted. */
    public void recovered(List<Job> jobs) {
        jobs.stream().filter(job -> job.state().isFinal()).forEach(job -> finished(job.type(), job.state()));
    }

    private Counter counter(Map<String, Counter> counters, Metadata metadata, String type, JobState outcome) {
        return counters.computeIfAbsent(outcome == null ? type : type + '\n' + outcome, k -> outcome == null
                ? registry.counter(metadata, new Tag("type", type))
                : registry.counter(metadata, new Tag("type", type), new Tag("outcome", outcome.name())));
    }

    private Timer timer(Map<String, Timer> timers, Metadata metadata, String type) {
        return timers.computeIfAbsent(type, t -> registry.timer(metadata, new Tag("type", t)));
    }
}
