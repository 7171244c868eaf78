package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.store.ClaimStrategy.Claimed;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobStateMachine;
import io.workerrole.jobs.entity.JobStateMachine.Change;
import io.workerrole.jobs.entity.LimitState;
import io.workerrole.jobs.entity.TypeLimit;
import io.workerrole.platform.Database;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static io.workerrole.jobs.control.store.JobHistory.event;
import static io.workerrole.jobs.control.store.JobHistory.events;
import static io.workerrole.jobs.control.store.JobRows.findAll;
import static io.workerrole.platform.Database.ts;

/**
 * Claims runnable jobs of the types this server may take: highest priority first, then oldest,
 * each claim an attempt, a job of a sequence only in its turn. A claim starts its jobs and records their
 * history in one transaction, and no two claims take the same job: how that is kept differs by
 * database ({@link ClaimStrategy}). Also puts failed jobs whose retry is due, and scheduled jobs
 * whose run time has come, in the queue, so that claims look at QUEUED jobs only.
 *
 * <p>Job types with a fleet-wide limit ({@link TypeLimit}) are claimed first, one at a time in
 * name order (so that two claims never wait on each other's locks in a cycle), each under the
 * lock of its row in {@link TypeLimitStore}: no more start than its concurrency less its RUNNING
 * jobs, nor than its token bucket allows. The other types then take the slots left, as if no
 * type were limited.
 */
public class JobClaims {

    /** How long a job of a sequence waits for a missing predecessor when the caller does not say. */
    public static final Duration DEFAULT_SEQUENCE_GAP_TIMEOUT = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    private final Database database;
    private final Clock clock;
    private final ClaimStrategy strategy;
    private final TypeLimitStore typeLimits;

    /** For CDI proxies. */
    protected JobClaims() {
        this.database = null;
        this.clock = null;
        this.strategy = null;
        this.typeLimits = null;
    }

    public JobClaims(Database database, Clock clock, Dialect dialect) {
        this.database = database;
        this.clock = clock;
        this.strategy = ClaimStrategy.of(dialect, clock);
        this.typeLimits = new TypeLimitStore(database);
    }

    /**
     * Claims runnable jobs of the given types for this server: highest priority first, then
     * oldest. Each claim counts as an attempt.
     *
     * @param max how many to claim at most
     * @param types the types to claim (the dispatcher's {@code ClaimableTypes}); none claimed when empty
     * @param owner this server's id
     * @param lease how long the claim holds without renewal
     */
    public List<Job> claim(int max, Collection<String> types, String owner, Duration lease) {
        return claim(max, types, owner, lease, DEFAULT_SEQUENCE_GAP_TIMEOUT);
    }

    /**
     * Claims as {@link #claim(int, Collection, String, Duration)} does. A job with a sequence is
     * runnable only when every job of its key with a lower number has finished, and its
     * predecessor (number - 1) exists; a job whose predecessor never arrives runs once it has
     * waited the gap timeout, and the gap is recorded in its history.
     *
     * @param gapTimeout how long a job of a sequence waits for a missing predecessor
     */
    public List<Job> claim(int max, Collection<String> types, String owner, Duration lease, Duration gapTimeout) {
        return claim(max, types, Map.of(), state -> { }, owner, lease, gapTimeout);
    }

    /**
     * Claims as {@link #claim(int, Collection, String, Duration, Duration)} does, within the
     * fleet-wide limits of the types that have one: those first, each under its lock, then the
     * others with the slots left.
     *
     * @param limits the limits in force of those of the types that have one
     * @param seen told, after the claim committed, what it found of each limited type it looked at
     */
    public List<Job> claim(int max, Collection<String> types, Map<String, TypeLimit> limits, Consumer<LimitState> seen,
                           String owner, Duration lease, Duration gapTimeout) {
        if (max <= 0 || types.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        try {
            return strategy.whole(() -> database.inTransaction(tx -> {
                Connection c = tx.connection();
                Instant gapCutoff = now.minus(gapTimeout);
                List<Claimed> parts = new ArrayList<>(1);
                List<LimitState> states = new ArrayList<>(0);
                Collection<String> unlimited = types;
                int left = max;
                if (!limits.isEmpty()) {
                    SortedMap<String, TypeLimit> limited = new TreeMap<>();
                    List<String> others = new ArrayList<>(types.size());
                    for (String type : types) {
                        TypeLimit limit = limits.get(type);
                        if (limit == null) {
                            others.add(type);
                        } else {
                            limited.put(type, limit);
                        }
                    }
                    unlimited = others;
                    for (Map.Entry<String, TypeLimit> type : limited.entrySet()) {
                        if (left <= 0) {
                            break;
                        }
                        // A type found full without its lock is passed over: no wait behind other servers' claims of it.
                        Optional<TypeLimitStore.Permit> peeked = typeLimits.peek(c, type.getKey(), type.getValue(), clock.instant());
                        if (peeked.isPresent() && peeked.get().allowance() == 0) {
                            states.add(typeLimits.spend(c, peeked.get(), 0));
                            continue;
                        }
                        TypeLimitStore.Permit permit = typeLimits.lock(c, type.getKey(), type.getValue(), clock.instant());
                        int allowance = Math.min(left, permit.allowance());
                        int started = 0;
                        if (allowance > 0) {
                            Claimed part = strategy.claim(c, allowance, List.of(type.getKey()), owner, lease, gapCutoff);
                            parts.add(part);
                            started = part.ids().size();
                            left -= started;
                        }
                        states.add(typeLimits.spend(c, permit, started));
                    }
                }
                if (left > 0 && !unlimited.isEmpty()) {
                    parts.add(strategy.claim(c, left, unlimited, owner, lease, gapCutoff));
                }
                List<Job> claimed = new ArrayList<>();
                for (Claimed part : parts) {
                    if (!part.ids().isEmpty()) {
                        events(c, part.ids(), JobState.RUNNING, part.at(), owner);
                        List<Job> jobs = part.jobs() != null ? part.jobs() : findAll(c, part.ids());
                        recordGaps(c, jobs, gapTimeout, part.at());
                        claimed.addAll(jobs);
                    }
                }
                tx.commit();
                states.forEach(seen);
                if (claimed.isEmpty()) {
                    return List.of();
                }
                // Read back by id, in no order: start them in claim order.
                claimed.sort(Comparator.comparingInt(Job::priority).reversed().thenComparingLong(Job::seq));
                return claimed;
            }));
        } catch (SQLException e) {
            throw new StoreException("Could not claim jobs", e);
        }
    }

    /** Says, in the history of each claimed job of a sequence that runs past a gap, which number it did not wait for. */
    private void recordGaps(Connection c, List<Job> claimed, Duration gapTimeout, Instant now) throws SQLException {
        for (Job job : claimed) {
            if (job.sequenceKey() == null || job.sequenceNumber() <= 1) {
                continue;
            }
            boolean predecessorExists = Jdbc.exists(c, "SELECT 1 FROM worker_job WHERE sequence_key = ? AND sequence_number = ?", s -> {
                s.setString(1, job.sequenceKey());
                s.setLong(2, job.sequenceNumber() - 1);
            });
            if (!predecessorExists) {
                String gap = "sequence " + job.sequenceKey() + ": number " + (job.sequenceNumber() - 1)
                        + " did not arrive within " + gapTimeout + "; running number " + job.sequenceNumber() + " without it";
                event(c, job.id(), JobState.RUNNING, now, gap);
                LOG.warning(() -> "[job " + job.id() + " " + job.type() + "] " + gap);
            }
        }
    }

    /**
     * Puts jobs whose time has come in the queue: failed jobs whose next attempt is due, and
     * scheduled jobs ({@code runAt}, {@code delay}) whose run time has come, so that claims need
     * to look at QUEUED jobs only. Any server does it for all: a scheduled job runs on whichever
     * server claims it.
     *
     * @return how many
     */
    public int queueDueJobs() {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                // One look for both kinds: the dispatcher asks five times a second, also when idle.
                Map<JobState, List<String>> due = new EnumMap<>(JobState.class);
                Jdbc.forEach(c, DUE, s -> s.setTimestamp(1, ts(now)),
                        rs -> due.computeIfAbsent(JobState.valueOf(rs.getString(2)), state -> new ArrayList<>()).add(rs.getString(1)));
                int queued = queue(c, Change.RETRY_DUE, due.getOrDefault(JobState.FAILED, List.of()), "retry due", now)
                        + queue(c, Change.RUN_TIME_CAME, due.getOrDefault(JobState.SCHEDULED, List.of()), "its run time has come", now);
                tx.commit();
                return queued;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not queue due jobs", e);
        }
    }

    /** The jobs that wait for a time: failed ones for their next attempt, scheduled ones for their run time. */
    private static final String DUE = "SELECT id, state FROM worker_job WHERE "
            + JobStateMachine.condition("state", JobStateMachine.sources(Change.RETRY_DUE, Change.RUN_TIME_CAME)) + " AND run_after <= ?";

    /** Makes the change (a retry or a run time come due) for those of the due jobs still waiting for it. */
    private static int queue(Connection c, Change change, List<String> due, String detail, Instant now) throws SQLException {
        if (due.isEmpty()) {
            return 0;
        }
        List<String> queued = new ArrayList<>(due.size());
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_job SET " + change.set() + ", updated_at = ? WHERE id = ? AND "
                + change.guard())) {
            for (String id : due) {
                s.setTimestamp(1, ts(now));
                s.setString(2, id);
                if (s.executeUpdate() == 1) {
                    queued.add(id);
                }
            }
        }
        if (!queued.isEmpty()) {
            events(c, queued, change.target(), now, detail);
        }
        return queued.size();
    }
}
