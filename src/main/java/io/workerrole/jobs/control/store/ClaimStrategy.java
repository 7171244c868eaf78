package io.workerrole.jobs.control.store;

import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobStateMachine;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.workerrole.platform.Database.ts;

/**
 * How a claim takes runnable jobs on one database: {@link SkipLockedClaim} on PostgreSQL (many
 * servers, none waits on another), {@link OptimisticClaim} on Derby (one server, whose single
 * dispatcher serializes claims). Both select the same candidates and start them with the same
 * update; they differ in how they keep two claims from taking one job.
 *
 * <p><b>Mutexes.</b> No two jobs of one mutex key are RUNNING at once, on any server: a job holds
 * its key from its claim until its outcome is recorded. The candidates leave out jobs whose key
 * has a RUNNING job; of those left, a claim starts the first of each key in claim order
 * ({@link #startable}), and only once it has made sure, in a statement of its own, that no job of
 * the key has started since the candidates were read ({@link #heldKeys}; on PostgreSQL under a
 * transaction advisory lock on the key, so that two servers never both pass that check). A claim
 * whose candidates have no key does none of it.
 */
abstract class ClaimStrategy {

    final Clock clock;

    ClaimStrategy(Clock clock) {
        this.clock = clock;
    }

    /** The strategy for a database. */
    static ClaimStrategy of(Dialect dialect, Clock clock) {
        return switch (dialect) {
            case POSTGRESQL -> new SkipLockedClaim(clock);
            case DERBY -> new OptimisticClaim(clock);
        };
    }

    /** A whole claim: its transaction, from the first read to the commit. */
    interface WholeClaim<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a whole claim. Claims on PostgreSQL run side by side; Derby's are one at a time
     * ({@link OptimisticClaim#whole}).
     */
    <T> T whole(WholeClaim<T> claim) throws SQLException {
        return claim.run();
    }

    /**
     * Starts up to {@code max} runnable jobs of the types for the owner, inside the claim's transaction.
     *
     * @param types the types to take, at least one
     * @param gapCutoff the latest enqueue time of a job of a sequence that has waited out its gap timeout
     */
    abstract Claimed claim(Connection c, int max, Collection<String> types, String owner,
                           Duration lease, Instant gapCutoff) throws SQLException;

    /**
     * The jobs a claim took, and the time it took them (their start).
     *
     * @param jobs the jobs as they are now, if the claim read them back; or null
     */
    record Claimed(List<String> ids, Instant at, List<Job> jobs) {
    }

    /**
     * The next jobs of the types to run, as {@link Candidate}s. One state and the index's own
     * order (state, priority DESC, seq), so that both databases read the first rows of the index
     * instead of sorting the whole backlog; the types filter the rows read, in that order.
     */
    static String candidates(Collection<String> types) {
        return "SELECT j.id, j.mutex_key FROM worker_job j WHERE " + CLAIMABLE
                + " AND j.type IN (" + Jdbc.placeholders(types.size()) + ")"
                + " AND (j.sequence_key IS NULL OR " + SEQUENCE_TURN + ")"
                + " AND (j.mutex_key IS NULL OR NOT EXISTS (SELECT 1 FROM worker_job r WHERE r.mutex_key = j.mutex_key AND "
                + holdsKey("r.state") + "))"
                + " ORDER BY j.priority DESC, j.seq";
    }

    /** A job a claim may start: its id, and its mutex key or null. */
    record Candidate(String id, String mutexKey) {
    }

    /** Runs a {@link #candidates} query. */
    static List<Candidate> candidates(PreparedStatement s) throws SQLException {
        return Jdbc.list(s, rs -> new Candidate(rs.getString(1), rs.getString(2)));
    }

    /** @return the condition on a state column of a job that holds its key: the state a claim makes */
    private static String holdsKey(String column) {
        return JobStateMachine.condition(column, EnumSet.of(JobStateMachine.Change.CLAIM.target()));
    }

    /** The keys of these that a job holds now: a new statement, so that it sees the claims committed since the candidates were read. */
    private static final String RUNNING_KEYS = "SELECT DISTINCT mutex_key FROM worker_job WHERE " + holdsKey("state")
            + " AND mutex_key IN ";

    /**
     * The candidates this claim may start, in claim order: every job without a key, and of each
     * key the first, unless a job of that key holds it now.
     */
    final List<String> startable(Connection c, List<Candidate> candidates) throws SQLException {
        List<Candidate> firsts = new ArrayList<>(candidates.size());
        Set<String> keys = new HashSet<>();
        for (Candidate candidate : candidates) {
            if (candidate.mutexKey() == null || keys.add(candidate.mutexKey())) {
                firsts.add(candidate);
            }
        }
        Set<String> held = keys.isEmpty() ? Set.of() : heldKeys(c, List.copyOf(keys));
        List<String> ids = new ArrayList<>(firsts.size());
        for (Candidate candidate : firsts) {
            if (candidate.mutexKey() == null || !held.contains(candidate.mutexKey())) {
                ids.add(candidate.id());
            }
        }
        return ids;
    }

    /**
     * Of the keys of the jobs this claim would start, those it must not: the keys a job holds now.
     * PostgreSQL's claim first takes a lock on each key ({@link SkipLockedClaim#heldKeys}).
     *
     * @param keys distinct, at least one
     */
    Set<String> heldKeys(Connection c, List<String> keys) throws SQLException {
        return new HashSet<>(Jdbc.query(c, RUNNING_KEYS + "(" + Jdbc.placeholders(keys.size()) + ")", s -> {
            for (int i = 0; i < keys.size(); i++) {
                s.setString(i + 1, keys.get(i));
            }
        }, rs -> rs.getString(1)));
    }

    /** The state a claim takes jobs from (the state-first claim index's one state). */
    private static final String CLAIMABLE = JobStateMachine.condition("j.state", JobStateMachine.Change.CLAIM.sources());

    /**
     * A job of a sequence may run when no job of its key with a lower number is unfinished, and
     * it is its key's first number (0 or 1), its predecessor exists, or it has waited out the gap
     * timeout (the one parameter: the latest enqueue time that has).
     */
    private static final String SEQUENCE_TURN = "NOT EXISTS (SELECT 1 FROM worker_job p WHERE p.sequence_key = j.sequence_key "
            + "AND p.sequence_number < j.sequence_number AND p.state NOT IN " + JobStateMachine.list(JobStateMachine.FINAL) + ") "
            + "AND (j.sequence_number <= 1 OR j.enqueued_at <= ? OR EXISTS (SELECT 1 FROM worker_job p WHERE "
            + "p.sequence_key = j.sequence_key AND p.sequence_number = j.sequence_number - 1))";

    static int bindCandidates(PreparedStatement s, int index, Collection<String> types, Instant gapCutoff) throws SQLException {
        for (String type : types) {
            s.setString(index++, type);
        }
        s.setTimestamp(index++, ts(gapCutoff));
        return index;
    }

    static final String START = "SET " + JobStateMachine.Change.CLAIM.set() + ", owner = ?, lease_until = ?, attempts = attempts + 1, "
            + "error = NULL, started_at = ?, updated_at = ?";

    static int bindStart(PreparedStatement s, String owner, Instant now, Instant leaseUntil) throws SQLException {
        s.setString(1, owner);
        s.setTimestamp(2, ts(leaseUntil));
        s.setTimestamp(3, ts(now));
        s.setTimestamp(4, ts(now));
        return 5;
    }
}
