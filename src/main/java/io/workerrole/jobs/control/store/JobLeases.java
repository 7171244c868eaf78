package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobStateMachine;
import io.workerrole.jobs.entity.JobStateMachine.Change;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.ServerPresence;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.workerrole.jobs.control.store.JobHistory.event;
import static io.workerrole.jobs.control.store.JobRows.require;
import static io.workerrole.platform.Database.ts;

/**
 * The leases on running jobs, and the recovery of jobs whose server is gone. A running job is
 * its server's while its lease holds; a server renews the leases of the jobs it runs, and a job
 * whose lease lapsed (or whose server restarted) is taken back: queued again, or DEAD once its
 * attempts are used up. Both are fenced by the owner, so a job is never taken from a server
 * that still holds it. On PostgreSQL a server found gone by its presence lock loses its jobs at
 * once ({@link #takeOver}): the lease stays the rule where nothing else can tell.
 */
public class JobLeases {

    private final Database database;
    private final Clock clock;

    /** For CDI proxies. */
    protected JobLeases() {
        this(null, null);
    }

    public JobLeases(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Extends the leases of the given jobs, which this server is running.
     *
     * @return how many leases were extended
     */
    public int renewLeases(Collection<String> jobIds, String owner, Duration lease) {
        if (jobIds.isEmpty()) {
            return 0;
        }
        Instant until = clock.instant().plus(lease);
        List<String> ids = List.copyOf(jobIds);
        try {
            return database.withConnection(c -> {
                int renewed = 0;
                for (int from = 0; from < ids.size(); from += 100) {
                    List<String> chunk = ids.subList(from, Math.min(from + 100, ids.size()));
                    renewed += Jdbc.update(c, "UPDATE worker_job SET lease_until = ? WHERE owner = ? "
                            + "AND state = 'RUNNING' AND id IN (" + Jdbc.placeholders(chunk.size()) + ")", s -> {
                        s.setTimestamp(1, ts(until));
                        s.setString(2, owner);
                        for (int i = 0; i < chunk.size(); i++) {
                            s.setString(3 + i, chunk.get(i));
                        }
                    });
                }
                return renewed;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not renew leases", e);
        }
    }

    /** The state of the jobs a recovery takes back (each of its three ends is made from it). */
    private static final String RECOVERABLE = JobStateMachine.condition("state",
            JobStateMachine.sources(Change.RECOVER, Change.RECOVER_EXHAUSTED, Change.RECOVER_CANCELLED));

    /** Takes a job back from its gone owner, to the state its recovery leads to (the first parameter). */
    private static final String TAKE_BACK = "UPDATE worker_job SET state = ?, owner = NULL, lease_until = NULL, "
            + "run_after = ?, updated_at = ?, error = ?, finished_at = ? WHERE id = ? AND " + RECOVERABLE + " AND owner = ?";

    /**
     * Takes back RUNNING jobs whose owner is gone: those whose lease lapsed, or (at start) those
     * this very server owned before it died. They run again from their checkpoint; a job whose
     * attempts are used up ends DEAD, so a job that kills its server cannot do so for ever.
     *
     * @param owner only this owner's jobs, whatever their lease; or null for every lapsed lease
     * @return the jobs taken back
     */
    public List<Job> recover(String owner) {
        Instant now = clock.instant();
        String where = owner != null ? "owner = ?" : "lease_until < ?";
        try {
            return database.inTransaction(tx -> {
                List<Job> recovered = takeBack(tx.connection(), where, s -> {
                    if (owner != null) {
                        s.setString(1, owner);
                    } else {
                        s.setTimestamp(1, ts(now));
                    }
                }, now);
                tx.commit();
                return recovered;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not recover jobs", e);
        }
    }

    /**
     * Takes back the RUNNING jobs of a server that is gone for certain, whatever their leases:
     * its presence lock is free ({@link ServerPresence}; the caller saw it free long enough to
     * tell a death from a reconnection) and is taken here for the transaction, so the server
     * cannot come back while its jobs are queued again. Its promise to hold a lock goes with
     * them. Accounted as a lapsed lease is: the same history, the attempt counted.
     *
     * @return the jobs taken back; empty if the server holds its lock again (nothing is taken)
     */
    public Optional<List<Job>> takeOver(String server, ServerPresence presence) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                if (!presence.lockOut(c, server)) {
                    return Optional.empty();
                }
                List<Job> recovered = takeBack(c, "owner = ?", s -> s.setString(1, server), now);
                presence.forget(c, server);
                tx.commit();
                return Optional.of(recovered);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not take over the jobs of " + server, e);
        }
    }

    /** Takes back the recoverable jobs the condition picks, in the caller's transaction. */
    private static List<Job> takeBack(Connection c, String where, Jdbc.Parameters parameters, Instant now) throws SQLException {
        List<String> ids = new ArrayList<>();
        Set<String> cancelled = new HashSet<>();
        Jdbc.forEach(c, "SELECT id, cancel_requested_at FROM worker_job WHERE " + RECOVERABLE + " AND " + where, parameters, rs -> {
            ids.add(rs.getString(1));
            if (rs.getTimestamp(2) != null) {
                cancelled.add(rs.getString(1));
            }
        });
        List<Job> recovered = new ArrayList<>();
        for (String id : ids) {
            Job job = require(c, id);
            // A job cancelled while it ran is not run again: it ends as it would have.
            boolean wasCancelled = cancelled.contains(id);
            boolean exhausted = job.attempts() >= job.maxAttempts();
            boolean ends = wasCancelled || exhausted;
            JobState next = (wasCancelled ? Change.RECOVER_CANCELLED : exhausted ? Change.RECOVER_EXHAUSTED : Change.RECOVER).target();
            String detail = "its server " + job.owner() + " stopped answering while it ran"
                    + (wasCancelled ? "; it had been cancelled" : exhausted ? "; no attempts left" : "");
            int taken = Jdbc.update(c, TAKE_BACK, s -> {
                s.setString(1, next.name());
                s.setTimestamp(2, ts(now));
                s.setTimestamp(3, ts(now));
                s.setString(4, exhausted && !wasCancelled ? detail : null);
                s.setTimestamp(5, ends ? ts(now) : null);
                s.setString(6, id);
                s.setString(7, job.owner());
            });
            if (taken == 1) {
                event(c, id, next, now, detail);
                // Its notices go out through the sweeper, once their hand-off has passed.
                NoticeStore.owe(c, id, NoticeChannel.owedBy(job, next), now);
                recovered.add(require(c, id));
            }
        }
        return recovered;
    }
}
