package io.workerrole.jobs.control.store;

import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.workerrole.jobs.control.store.JobRows.COLUMNS;
import static io.workerrole.jobs.control.store.JobRows.jobs;

/**
 * PostgreSQL's claim, for servers sharing one database: {@code FOR UPDATE SKIP LOCKED} locks
 * the candidates no other server has locked, so claims never wait on each other nor take the
 * same job, and {@code RETURNING} reads the started jobs back in the update's round trip. Two
 * servers' claims of two jobs of one mutex key meet at a transaction advisory lock on the key,
 * which neither waits for: the one that does not get it leaves its job for a later claim.
 */
final class SkipLockedClaim extends ClaimStrategy {

    SkipLockedClaim(Clock clock) {
        super(clock);
    }

    /**
     * Locks the candidates (skipping those another server has locked), then starts them. The
     * start time is read between the two, after the look for their keys' RUNNING jobs, so that a
     * job never appears to start before it was recorded, nor before its predecessor in a
     * sequence or the last job of its mutex key finished.
     */
    @Override
    Claimed claim(Connection c, int max, Collection<String> types, String owner,
                  Duration lease, Instant gapCutoff) throws SQLException {
        List<Candidate> candidates;
        try (PreparedStatement s = c.prepareStatement(candidates(types) + " LIMIT ? FOR UPDATE OF j SKIP LOCKED")) {
            int index = bindCandidates(s, 1, types, gapCutoff);
            s.setInt(index, max);
            candidates = candidates(s);
        }
        List<String> ids = startable(c, candidates);
        Instant now = clock.instant();
        if (ids.isEmpty()) {
            return new Claimed(ids, now, List.of());
        }
        // RETURNING reads the started jobs back in the same round trip.
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_job " + START + " WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") RETURNING " + COLUMNS)) {
            int index = bindStart(s, owner, now, now.plus(lease));
            for (String id : ids) {
                s.setString(index++, id);
            }
            return new Claimed(ids, now, jobs(s));
        }
    }

    /**
     * Takes a transaction advisory lock on each key, without waiting, and then looks, in a new
     * statement, for the keys a job holds. Another server's claim that started a job of a key
     * holds the key's lock until it commits: this claim then either fails to take the lock, or
     * takes it after that commit, and the look that follows sees the job RUNNING. Either way the
     * key counts as held. The lock is a hash of the key in a namespace of its own (the one-bigint
     * form, which never meets the presence locks' two-int form): two keys that share a hash only
     * make a job wait a turn.
     */
    @Override
    Set<String> heldKeys(Connection c, List<String> keys) throws SQLException {
        Long[] locks = keys.stream().map(SkipLockedClaim::lock).toArray(Long[]::new);
        Set<String> held = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT n FROM unnest(?) WITH ORDINALITY AS t(lock_key, n) "
                + "WHERE NOT pg_try_advisory_xact_lock(lock_key)")) {
            s.setArray(1, c.createArrayOf("bigint", locks));
            for (int taken : Jdbc.list(s, rs -> rs.getInt(1))) {
                held.add(keys.get(taken - 1));
            }
        }
        held.addAll(super.heldKeys(c, keys));
        return held;
    }

    /** The namespace of mutex locks, the upper half of their key: "mutx". */
    private static final long NAMESPACE = 0x6d757478L << 32;

    /** @return the advisory lock of a mutex key: its namespace, and the key's hash (String's, the same in every JVM) */
    static long lock(String key) {
        return NAMESPACE | (key.hashCode() & 0xffffffffL);
    }
}
