package io.workerrole.jobs.control;

import io.workerrole.jobs.control.dispatch.JobDispatcher;
import io.workerrole.jobs.control.dispatch.PeerWakeups;
import io.workerrole.jobs.control.intake.JobRequestParser;
import io.workerrole.jobs.control.intake.ReplyRule;
import io.workerrole.jobs.control.store.JobClaims;
import io.workerrole.jobs.entity.TypePattern;
import io.workerrole.platform.AllowedOrigins;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The job settings admins set in server.xml (see server-config/), read live. */
@ApplicationScoped
public class JobSettings {

    public static final String MAX_BATCH_JOBS = "worker.http.maxBatchJobs";
    public static final String MAX_BATCH_BYTES = "worker.http.maxBatchBytes";
    public static final String CONCURRENCY = "worker.concurrency";
    public static final String MAX_ATTEMPTS = "worker.retry.maxAttempts";
    public static final String MAX_DELIVERIES = "worker.maxDeliveries";
    public static final String RETRY_BACKOFF = "worker.retry.backoff";
    public static final String RETRY_MAX_BACKOFF = "worker.retry.maxBackoff";
    public static final String BUILTIN_JOBS = "worker.builtinJobs";
    public static final String REPLY_QUEUE = "worker.replyQueue";
    public static final String DEAD_LETTER_QUEUE = "worker.deadLetterQueue";
    public static final String JMS_REPLY_QUEUES = "worker.jms.replyQueues";
    /** worker.jms.replyQueues' value for "no queue": MicroProfile Config reads an empty value as unset. */
    static final String NO_REPLY_QUEUES = "none";
    /** worker.jms.replyQueues' default (server.xml has the same): the default reply queue, worker.replies. */
    public static final String DEFAULT_JMS_REPLY_QUEUES = "worker.replies";
    public static final String CALLBACK_ATTEMPTS = "worker.callback.maxAttempts";
    public static final String CALLBACK_ALLOWED_ORIGINS = "worker.callback.allowedOrigins";
    /** What {@link #CALLBACK_ALLOWED_ORIGINS} was called when it listed hosts (any port): no longer read. */
    static final String RETIRED_CALLBACK_ALLOWED_HOSTS = "worker.callback.allowedHosts";
    /** What the callback list is for, in refusals. */
    public static final AllowedOrigins.Use CALLBACKS = new AllowedOrigins.Use("callbacks", CALLBACK_ALLOWED_ORIGINS);
    public static final String SEQUENCE_GAP_TIMEOUT = "worker.sequence.gapTimeout";
    public static final String RUN_AT_GRACE = "worker.jobs.runAtGrace";
    public static final String MAX_DELAY = "worker.jobs.maxDelay";
    public static final String POLL_INTERVAL = "worker.jobs.pollInterval";
    public static final String LOG_LINES = "worker.jobs.logLines";
    public static final String TYPES_INCLUDE = "worker.types.include";
    public static final String TYPES_EXCLUDE = "worker.types.exclude";
    /** What worker.types.include and worker.types.exclude hold, in refusals of a bad value. */
    private static final String TYPE_LIST = "a comma-separated list of job types and * patterns (thumbnail,image-*)";
    public static final String TAKEOVER = "worker.takeover";
    /** worker.limits.TYPE.concurrency and worker.limits.TYPE.perSecond: a type's fleet-wide limits. */
    public static final String LIMITS = "worker.limits.";
    static final String LIMIT_CONCURRENCY = ".concurrency";
    static final String LIMIT_PER_SECOND = ".perSecond";
    /** The bounds of a fleet-wide limit, in server.xml and over the API alike. */
    public static final int MAX_LIMIT_CONCURRENCY = 100_000;
    public static final double MIN_LIMIT_PER_SECOND = 0.001;
    public static final double MAX_LIMIT_PER_SECOND = 100_000;
    private static final String PER_SECOND = "a number of starts per second from " + MIN_LIMIT_PER_SECOND + " to "
            + (int) MAX_LIMIT_PER_SECOND + ", such as 20 or 0.5";
    /** A bound on worker.jobs.logLines: the lines are written and read together, a job's at a time. */
    static final int MAX_LOG_LINES = 10_000;
    private static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);

    @Inject
    WorkerSettings settings;

    /** @return the largest payload of a job, in bytes ({@link WorkerSettings#maxPayloadBytes()}) */
    public int maxPayloadBytes() {
        return settings.maxPayloadBytes();
    }

    /** @return the most job messages in one {@code POST /api/jobs} batch */
    public int maxBatchJobs() {
        return settings.readInt(MAX_BATCH_JOBS, 1000, 1);
    }

    /** @return the largest body of a {@code POST /api/jobs} batch, in bytes */
    public int maxBatchBytes() {
        return settings.readInt(MAX_BATCH_BYTES, 16_777_216, 1);
    }

    /** @return how many jobs this server runs at once, all types together */
    public int concurrency() {
        return settings.readInt(CONCURRENCY, 16, 1);
    }

    /** @return how many jobs of one type this server runs at once, if limited ({@code worker.concurrency.TYPE}) */
    public Optional<Integer> concurrency(String type) {
        return settings.readOptionalInt(CONCURRENCY + "." + type, 0);
    }

    /**
     * @return how many jobs of the type may run at once across the fleet, if this server's
     *         server.xml limits it ({@code worker.limits.TYPE.concurrency})
     */
    public Optional<Integer> limitConcurrency(String type) {
        return settings.readOptionalInt(LIMITS + type + LIMIT_CONCURRENCY, 1).map(max -> Math.min(max, MAX_LIMIT_CONCURRENCY));
    }

    /**
     * @return how many jobs of the type may start per second across the fleet, if this server's
     *         server.xml limits it ({@code worker.limits.TYPE.perSecond}; a value that does not
     *         parse is reported once and sets no rate)
     */
    public Optional<Double> limitPerSecond(String type) {
        return Optional.ofNullable(settings.readParsed(LIMITS + type + LIMIT_PER_SECOND, null, JobSettings::parsePerSecond, PER_SECOND));
    }

    /**
     * @param names the names of the settings in force (MicroProfile Config's property names)
     * @return the types that {@code worker.limits.TYPE.concurrency} or {@code .perSecond} names
     */
    public static Set<String> limitedTypes(Iterable<String> names) {
        Set<String> types = new TreeSet<>();
        for (String name : names) {
            if (!name.startsWith(LIMITS)) {
                continue;
            }
            for (String field : List.of(LIMIT_CONCURRENCY, LIMIT_PER_SECOND)) {
                if (name.endsWith(field) && name.length() > LIMITS.length() + field.length()) {
                    types.add(name.substring(LIMITS.length(), name.length() - field.length()));
                }
            }
        }
        return types;
    }

    /** @throws IllegalArgumentException unless the value is a rate within the bounds */
    public static Double parsePerSecond(String value) {
        double perSecond = Double.parseDouble(value);
        if (!(perSecond >= MIN_LIMIT_PER_SECOND && perSecond <= MAX_LIMIT_PER_SECOND)) {
            throw new IllegalArgumentException("out of bounds: " + value);
        }
        return perSecond;
    }

    /**
     * @return how many times a job of the type is handed to its handler before it is DEAD:
     *         {@code worker.retry.maxAttempts.TYPE}, else {@code worker.retry.maxAttempts}, else
     *         {@code worker.maxDeliveries}, the messaging engine's own redelivery limit (5)
     */
    public int maxAttempts(String type) {
        return settings.readOptionalInt(MAX_ATTEMPTS + "." + type, 1)
                .or(() -> settings.readOptionalInt(MAX_ATTEMPTS, 1))
                .orElseGet(() -> settings.readInt(MAX_DELIVERIES, 5, 1));
    }

    /** @return the first backoff between attempts of the type ({@code worker.retry.backoff.TYPE}, else {@code worker.retry.backoff}) */
    public Duration retryBackoff(String type) {
        return perType(RETRY_BACKOFF, type, Duration.ofSeconds(1));
    }

    /** @return the longest backoff for the type ({@code worker.retry.maxBackoff.TYPE}, else {@code worker.retry.maxBackoff}) */
    public Duration retryMaxBackoff(String type) {
        return perType(RETRY_MAX_BACKOFF, type, Duration.ofMinutes(5));
    }

    private Duration perType(String setting, String type, Duration fallback) {
        Duration general = settings.readDuration(setting, fallback);
        return settings.readDuration(setting + "." + type, general);
    }

    /**
     * @return how often the dispatcher looks in the job store for jobs it was not told of: those
     *         other servers accepted (unless they woke this one, see {@code PeerWakeups}), and
     *         their delayed jobs and retries that fell due
     */
    public Duration pollInterval() {
        Duration interval = settings.readDuration(POLL_INTERVAL, JobDispatcher.DEFAULT_POLL);
        return interval.compareTo(MIN_POLL_INTERVAL) < 0 ? MIN_POLL_INTERVAL : interval; // PT0S would spin
    }

    /** @return how many of the last lines a job's handler wrote through JobLog the job keeps (0: none) */
    public int logLines() {
        return Math.min(settings.readInt(LOG_LINES, 200, 0), MAX_LOG_LINES);
    }

    /** @return how long a running job's claim lasts without renewal ({@link WorkerSettings#lease()}) */
    public Duration lease() {
        return settings.lease();
    }

    /** How the running jobs of a server that died are found and taken over by the others. */
    public enum Takeover {
        /** At once, when its presence lock in the job store is free (on PostgreSQL; elsewhere as {@link #LEASE}). */
        PRESENCE,
        /** When the leases of its jobs lapse, {@code worker.lease} after its last renewal. */
        LEASE
    }

    /** @return how this server's jobs are taken over when it dies, and how it takes over others' ({@code worker.takeover}) */
    public Takeover takeover() {
        return settings.readParsed(TAKEOVER, Takeover.PRESENCE, value -> Takeover.valueOf(value.toUpperCase(Locale.ROOT)), "presence or lease");
    }

    /** @return this server's identity in the job store ({@link WorkerSettings#serverId()}) */
    public String serverId() {
        return settings.serverId();
    }

    /**
     * @return the job types this server may run, of those it has handlers for
     *         ({@code worker.types.include}, every type unless set); a value that does not parse is
     *         reported once and every type is included
     */
    public TypePattern typesInclude() {
        return settings.readParsed(TYPES_INCLUDE, TypePattern.ALL, TypePattern::parse, TYPE_LIST);
    }

    /**
     * @return the job types this server leaves to others although it has their handlers
     *         ({@code worker.types.exclude}, none unless set); a value that does not parse is
     *         reported once and none is excluded
     */
    public TypePattern typesExclude() {
        return settings.readParsed(TYPES_EXCLUDE, TypePattern.NONE, TypePattern::parse, TYPE_LIST);
    }

    public boolean builtinJobs() {
        return settings.readBoolean(BUILTIN_JOBS, true);
    }

    /** @return the JNDI name of the queue for replies to jobs that asked for one without a JMSReplyTo */
    public String replyQueue() {
        return settings.readString(REPLY_QUEUE, "jms/worker/replies");
    }

    /**
     * @return the names of the queues a job message's JMSReplyTo may name besides a temporary
     *         queue of the sender's ({@link ReplyRule}): {@code worker.jms.replyQueues}, comma-separated
     */
    public Set<String> jmsReplyQueues() {
        String listed = settings.readString(JMS_REPLY_QUEUES, DEFAULT_JMS_REPLY_QUEUES);
        return Arrays.stream(listed.split(",")).map(String::trim)
                .filter(name -> !name.isEmpty() && !name.equals(NO_REPLY_QUEUES))
                .collect(Collectors.toUnmodifiableSet());
    }

    public String deadLetterQueue() {
        return settings.readString(DEAD_LETTER_QUEUE, "jms/worker/dead");
    }

    /** @return how long a job of a sequence waits for a predecessor that has not arrived before it runs without it */
    public Duration sequenceGapTimeout() {
        return settings.readDuration(SEQUENCE_GAP_TIMEOUT, JobClaims.DEFAULT_SEQUENCE_GAP_TIMEOUT);
    }

    /** @return the bounds on a job's run time ({@code runAt} / {@code delay}), as of now */
    public JobRequestParser.RunTimes runTimes(Clock clock) {
        return new JobRequestParser.RunTimes(clock, settings.readDuration(RUN_AT_GRACE, JobRequestParser.RunTimes.DEFAULT_GRACE),
                settings.readDuration(MAX_DELAY, JobRequestParser.RunTimes.DEFAULT_MAX_DELAY));
    }

    public int callbackAttempts() {
        return settings.readInt(CALLBACK_ATTEMPTS, 5, 1);
    }

    /**
     * @return the origins a job's callbackUrl may name (none by default: callbacks are off until an
     *         admin lists where they may go); checked when the job is accepted and again when the callback is sent
     */
    public AllowedOrigins callbackAllowedOrigins() {
        return settings.readOrigins(CALLBACK_ALLOWED_ORIGINS, RETIRED_CALLBACK_ALLOWED_HOSTS);
    }
}
