package io.workerrole.jobs.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import static io.workerrole.jobs.control.store.JobRows.COLUMNS;
import static io.workerrole.jobs.control.store.JobRows.ids;
import static io.workerrole.jobs.control.store.JobRows.jobs;

/**
 * PostgreSQL's claim, for servers sharing one database: {@code FOR UPDATE SKIP LOCKED} locks
 * the candidates no other server has locked, so claims never wait on each other nor take the
 * same job, and {@code RETURNING} reads the started jobs back in the update's round trip.
 */
final class SkipLockedClaim extends ClaimStrategy {

    SkipLockedClaim(Clock clock) {
        super(clock);
    }

    /**
     * Locks the candidates (skipping those another server has locked), then starts them. The
     * start time is read between the two, so that a job never appears to start before it was
     * recorded, nor before its predecessor in a sequence finished.
     */
    @Override
    Claimed claim(Connection c, int max, Collection<String> types, String owner,
                  Duration lease, Instant gapCutoff) throws SQLException {
        List<String> ids;
        try (PreparedStatement s = c.prepareStatement(candidates(types) + " LIMIT ? FOR UPDATE OF j SKIP LOCKED")) {
            int index = bindCandidates(s, 1, types, gapCutoff);
            s.setInt(index, max);
            ids = ids(s);
        }
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
}
