package io.workerrole.jobs.control.store;

import io.workerrole.jobs.entity.JobStateMachine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;


/**
 * Derby's claim, for the one server of an embedded database: its single dispatcher serializes
 * claims, so reading the candidates and then taking each with an update that still requires it
 * to be QUEUED is enough; a job some other transaction took meanwhile is simply not claimed.
 * For mutexes the claims run one at a time ({@link #whole}): reading the candidates and then
 * taking them is not atomic, and when four threads' claims ran side by side (JobMutexIT, before
 * this), two jobs of one key did run at once.
 */
final class OptimisticClaim extends ClaimStrategy {

    /** Takes one candidate, unless another transaction took it meanwhile (then it is no longer in the state a claim takes jobs from). */
    private static final String TAKE = "UPDATE worker_job " + START + " WHERE id = ? AND " + JobStateMachine.Change.CLAIM.guard();

    /**
     * One claim at a time in this JVM, the only one that can open an embedded Derby database: the
     * dispatcher claims from one thread anyway, and any other caller (a test's threads) waits its
     * turn, so that a claim never reads the keys' RUNNING jobs while another claim's are not
     * committed.
     */
    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock();

    OptimisticClaim(Clock clock) {
        super(clock);
    }

    @Override
    <T> T whole(WholeClaim<T> claim) throws SQLException {
        ONE_AT_A_TIME.lock();
        try {
            return claim.run();
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    /**
     * Reads the candidates, then takes them one by one. The start time is read after the
     * candidates: reading them may wait for the transaction that finishes a job's predecessor,
     * and a job must not appear to start before its predecessor finished.
     */
    @Override
    Claimed claim(Connection c, int max, Collection<String> types, String owner,
                  Duration lease, Instant gapCutoff) throws SQLException {
        List<String> candidates;
        try (PreparedStatement s = c.prepareStatement(candidates(types) + " FETCH FIRST " + max + " ROWS ONLY")) {
            bindCandidates(s, 1, types, gapCutoff);
            candidates = startable(c, candidates(s));
        }
        Instant now = clock.instant();
        List<String> claimed = new ArrayList<>(candidates.size());
        try (PreparedStatement s = c.prepareStatement(TAKE)) {
            for (String id : candidates) {
                int index = bindStart(s, owner, now, now.plus(lease));
                s.setString(index, id);
                if (s.executeUpdate() == 1) {
                    claimed.add(id);
                }
            }
        }
        return new Claimed(claimed, now, null);
    }
}
