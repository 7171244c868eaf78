package io.workerrole.schedules.control;

import io.workerrole.api.MissedFirings;
import io.workerrole.jobs.boundary.JobsInTransaction;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.FiringOutcome;
import io.workerrole.schedules.entity.Schedule;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * The schedules' firing history ({@code worker_schedule_firing}). A firing is claimed by inserting
 * its entry under a unique key (schedule, scope, instant) in the same transaction as the job it
 * starts ({@link JobsInTransaction}, on the same connection): for a singleton schedule, of all the
 * servers that fire at one instant exactly one succeeds; the others break the key and record nothing.
 */
public class FiringLedger {

    private static final String COLUMNS = "seq, schedule_name, scope, scheduled_for, recorded_at, outcome, job_id, server, detail";
    private static final int MAX_DETAIL_LENGTH = 1000;

    private final Database database;
    private final JobsInTransaction jobs;
    private final Clock clock;

    /** For CDI proxies. */
    protected FiringLedger() {
        this(null, null, null);
    }

    public FiringLedger(Database database, JobsInTransaction jobs, Clock clock) {
        this.database = database;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Records a firing and, unless it is skipped, starts its job, both in one transaction: the
     * claim. A firing of an older version of the schedule (paused, changed or deleted since it
     * was armed) records nothing.
     *
     * @param frozen true to record the firing as skipped because the worker is frozen
     * @param job the job to start
     * @return the firing recorded, or empty if another server claimed it or the schedule changed
     */
    public Optional<Firing> fire(Schedule schedule, String scope, Instant scheduledFor, String server, boolean frozen, NewJob job) {
        return claim(schedule, scope, scheduledFor, server, c -> {
            if (frozen) {
                return new Claim(FiringOutcome.SKIPPED_FROZEN, null, "the worker is frozen (worker.freeze=true)");
            }
            Optional<Job> previous = lastJob(c, schedule.name(), scope);
            if (previous.isPresent() && !previous.get().state().isFinal()) {
                return new Claim(FiringOutcome.SKIPPED_OVERLAP, null, "the previous run, job " + previous.get().id()
                        + ", is still " + previous.get().state());
            }
            return new Claim(FiringOutcome.RAN, jobs.recordWithin(c, job), null);
        });
    }

    /**
     * Records the firings that fell while no server ran the schedule, as one entry at the last
     * of them, and with {@link MissedFirings#RUN_ONCE} starts one job for them all.
     *
     * @param job the job to start, or null when the policy is to skip
     */
    public Optional<Firing> missed(Schedule schedule, String scope, Instant lastMissed, String server, String detail, NewJob job) {
        return claim(schedule, scope, lastMissed, server, c -> new Claim(FiringOutcome.MISSED,
                job == null ? null : jobs.recordWithin(c, job), detail));
    }

    /** What a claimed firing becomes. */
    private record Claim(FiringOutcome outcome, String jobId, String detail) {
    }

    @FunctionalInterface
    private interface ClaimWork {
        Claim decide(Connection c) throws SQLException;
    }

    private Optional<Firing> claim(Schedule schedule, String scope, Instant scheduledFor, String server, ClaimWork work) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Optional<Schedule> current = ScheduleRows.find(c, schedule.name());
                if (current.isEmpty() || current.get().version() != schedule.version() || current.get().paused()) {
                    return Optional.empty();
                }
                Claim claim = work.decide(c);
                try {
                    Jdbc.update(c, "INSERT INTO worker_schedule_firing (schedule_name, scope, scheduled_for, "
                            + "recorded_at, outcome, job_id, server, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                        s.setString(1, schedule.name());
                        s.setString(2, scope);
                        s.setTimestamp(3, ts(scheduledFor));
                        s.setTimestamp(4, ts(now));
                        s.setString(5, claim.outcome().name());
                        s.setString(6, claim.jobId());
                        s.setString(7, server);
                        s.setString(8, truncate(claim.detail(), MAX_DETAIL_LENGTH));
                    });
                } catch (SQLException e) {
                    if (Database.isUniqueViolation(e)) {
                        tx.rollback();
                        return Optional.empty(); // another server claimed this firing
                    }
                    throw e;
                }
                tx.commit();
                return Optional.of(new Firing(0, schedule.name(), scope, scheduledFor, now, claim.outcome(), claim.jobId(), server,
                        claim.detail()));
            });
        } catch (SQLException e) {
            throw new StoreException("Could not record a firing of schedule " + schedule.name(), e);
        }
    }

    /** Deletes a schedule's whole history, in the caller's transaction (the one that deletes the schedule). */
    public void deleteHistory(Connection c, String name) throws SQLException {
        Jdbc.update(c, "DELETE FROM worker_schedule_firing WHERE schedule_name = ?", s -> s.setString(1, name));
    }

    /**
     * Deletes history recorded before the instant, except each schedule's latest firing in each
     * scope: a starting server counts missed firings from it.
     *
     * @return how many entries were deleted
     */
    public int pruneHistory(Instant before) {
        try {
            return database.withConnection(c -> Jdbc.update(c, "DELETE FROM worker_schedule_firing WHERE recorded_at < ? "
                    + "AND seq NOT IN (SELECT MAX(seq) FROM worker_schedule_firing GROUP BY schedule_name, scope)",
                    s -> s.setTimestamp(1, ts(before))));
        } catch (SQLException e) {
            throw new StoreException("Could not prune the schedules' history", e);
        }
    }

    /** @return the latest firing of the schedule in the scope, whatever became of it */
    public Optional<Firing> lastFiring(String name, String scope) {
        try {
            return database.withConnection(c -> first(c, "WHERE schedule_name = ? AND scope = ? "
                    + "ORDER BY scheduled_for DESC FETCH FIRST 1 ROWS ONLY", name, scope));
        } catch (SQLException e) {
            throw new StoreException("Could not read the history of schedule " + name, e);
        }
    }

    /** @return the job of the latest firing that started one, in the scope */
    public Optional<Job> lastJob(String name, String scope) {
        try {
            return database.withConnection(c -> lastJob(c, name, scope));
        } catch (SQLException e) {
            throw new StoreException("Could not read the last run of schedule " + name, e);
        }
    }

    private Optional<Job> lastJob(Connection c, String name, String scope) throws SQLException {
        Optional<Firing> firing = first(c, "WHERE schedule_name = ? AND scope = ? AND job_id IS NOT NULL "
                + "ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", name, scope);
        return firing.isEmpty() ? Optional.empty() : jobs.findWithin(c, firing.get().jobId());
    }

    /** @return the latest firing of each of these schedules that has one, by schedule name */
    public Map<String, Firing> lastFirings(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        try {
            return database.withConnection(c -> {
                Map<String, Firing> last = new HashMap<>();
                Jdbc.forEach(c, "SELECT " + COLUMNS + " FROM worker_schedule_firing "
                        + "WHERE seq IN (SELECT MAX(seq) FROM worker_schedule_firing WHERE schedule_name IN ("
                        + Jdbc.placeholders(names.size()) + ") GROUP BY schedule_name)", s -> {
                    int i = 1;
                    for (String name : names) {
                        s.setString(i++, name);
                    }
                }, rs -> {
                    Firing firing = firing(rs);
                    last.put(firing.scheduleName(), firing);
                });
                return last;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not read the schedules' last firings", e);
        }
    }

    /**
     * A schedule's history, newest first.
     *
     * @param outcome only this outcome, or null
     * @param beforeSeq only entries older than this position (the next page), or null
     */
    public List<Firing> firings(String name, FiringOutcome outcome, int limit, Long beforeSeq) {
        try {
            return new PagedQuery("SELECT " + COLUMNS + " FROM worker_schedule_firing")
                    .where("schedule_name", name)
                    .where("outcome", outcome == null ? null : outcome.name())
                    .page(database, limit, beforeSeq, s -> Jdbc.list(s, FiringLedger::firing));
        } catch (SQLException e) {
            throw new StoreException("Could not read the history of schedule " + name, e);
        }
    }

    /** @param where the rest of the query, whose two parameters are the schedule's name and the scope */
    private static Optional<Firing> first(Connection c, String where, String name, String scope) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM worker_schedule_firing " + where, s -> {
            s.setString(1, name);
            s.setString(2, scope);
        }, FiringLedger::firing);
    }

    /** The row mapper of a query of {@link #COLUMNS}. */
    private static Firing firing(ResultSet rs) throws SQLException {
        return new Firing(rs.getLong("seq"), rs.getString("schedule_name"), rs.getString("scope"),
                instant(rs.getTimestamp("scheduled_for")), instant(rs.getTimestamp("recorded_at")),
                FiringOutcome.valueOf(rs.getString("outcome")), rs.getString("job_id"), rs.getString("server"), rs.getString("detail"));
    }
}
