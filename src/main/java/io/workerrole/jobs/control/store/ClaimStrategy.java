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
import java.util.Collection;
import java.util.List;

import static io.workerrole.platform.Database.ts;

/**
 * How a claim takes runnable jobs on one database: {@link SkipLockedClaim} on PostgreSQL (many
 * servers, none waits on another), {@link OptimisticClaim} on Derby (one server, whose single
 * dispatcher serializes claims). Both select the same candidates and start them with the same
 * update; they differ in how they keep two claims from taking one job.
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
     * The next jobs of the types to run. One state and the index's own order (state, priority
     * DESC, seq), so that both databases read the first rows of the index instead of sorting the
     * whole backlog; the types filter the rows read, in that order.
     */
    static String candidates(Collection<String> types) {
        return "SELECT j.id FROM worker_job j WHERE " + CLAIMABLE
                + " AND j.type IN (" + Jdbc.placeholders(types.size()) + ")"
                + " AND (j.sequence_key IS NULL OR " + SEQUENCE_TURN + ")"
                + " ORDER BY j.priority DESC, j.seq";
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
