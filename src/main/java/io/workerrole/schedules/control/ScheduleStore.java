package io.workerrole.schedules.control;

import io.workerrole.api.MissedFirings;
import io.workerrole.jobs.boundary.JobsInTransaction;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.Database;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.FiringOutcome;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleConflictException;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import io.workerrole.schedules.entity.ScheduleOrigin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * Schedules and their firing history in the worker's database. A firing is claimed by inserting
 * its history row under a unique key (schedule, scope, instant) in the same transaction as the
 * job it starts: for a singleton schedule, of all the servers that fire at one instant exactly
 * one succeeds; the others break the key and record nothing.
 */
public class ScheduleStore {

    private static final String COLUMNS = "name, kind, cron, time_zone, every_ms, start_at, job_type, payload, priority, "
            + "singleton, missed_policy, origin, paused, version, created_at, updated_at";
    private static final String FIRING_COLUMNS = "seq, schedule_name, scope, scheduled_for, recorded_at, outcome, job_id, server, detail";

    private final Database database;
    private final JobsInTransaction jobs;
    private final Clock clock;

    /** For CDI proxies. */
    protected ScheduleStore() {
        this(null, null, null);
    }

    public ScheduleStore(Database database, JobsInTransaction jobs, Clock clock) {
        this.database = database;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Stores a definition: creates the schedule, or changes it if its definition differs (which
     * raises its version and keeps it paused or not).
     *
     * @throws ScheduleConflictException if the name belongs to a schedule of another origin
     */
    public PutOutcome put(ScheduleDefinition definition) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Optional<Schedule> existing = find(c, definition.name());
                if (existing.isEmpty()) {
                    if (!insert(c, definition, now)) {
                        tx.rollback();
                        throw new ScheduleConflictException(definition.name() + " was created at the same moment by someone else; try again");
                    }
                    tx.commit();
                    return PutOutcome.CREATED;
                }
                ScheduleDefinition current = existing.get().definition();
                if (current.origin() != definition.origin()) {
                    throw new ScheduleConflictException(ownedBy(current));
                }
                if (current.equals(definition)) {
                    return PutOutcome.UNCHANGED;
                }
                update(c, definition, existing.get().version(), now);
                tx.commit();
                return PutOutcome.CHANGED;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not store schedule " + definition.name(), e);
        }
    }

    /** @return false if a schedule of that name exists already */
    public boolean create(ScheduleDefinition definition) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                boolean created = insert(tx.connection(), definition, now);
                tx.commit();
                return created;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not create schedule " + definition.name(), e);
        }
    }

    /** @return who may change the schedule, and where */
    public static String ownedBy(ScheduleDefinition definition) {
        return switch (definition.origin()) {
            case SERVER_XML -> "schedule " + definition.name() + " is declared in server.xml (worker.schedule." + definition.name()
                    + ".*); change or remove it there";
            case CODE -> "schedule " + definition.name() + " is declared with @Scheduled on the " + definition.jobType()
                    + " job handler; change or remove it there";
            case API -> "schedule " + definition.name() + " was created through /api/schedules; change or remove it there";
            case SCRIPT -> "schedule " + definition.name() + " is the schedule of the script " + definition.jobType()
                    + " (its settings.job); change or remove it there";
        };
    }

    private boolean insert(Connection c, ScheduleDefinition d, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_schedule (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bindDefinition(s, d);
            s.setBoolean(i++, false);
            s.setLong(i++, 1);
            s.setTimestamp(i++, ts(now));
            s.setTimestamp(i, ts(now));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private void update(Connection c, ScheduleDefinition d, long version, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_schedule SET name = ?, kind = ?, cron = ?, time_zone = ?, "
                + "every_ms = ?, start_at = ?, job_type = ?, payload = ?, priority = ?, singleton = ?, missed_policy = ?, origin = ?, "
                + "version = version + 1, updated_at = ? WHERE name = ? AND version = ?")) {
            int i = bindDefinition(s, d);
            s.setTimestamp(i++, ts(now));
            s.setString(i++, d.name());
            s.setLong(i, version);
            if (s.executeUpdate() != 1) {
                throw new ScheduleConflictException("schedule " + d.name() + " was changed at the same moment by someone else; try again");
            }
        }
    }

    private static int bindDefinition(PreparedStatement s, ScheduleDefinition d) throws SQLException {
        s.setString(1, d.name());
        s.setString(2, d.kind().name());
        s.setString(3, d.cron());
        s.setString(4, d.zone());
        if (d.interval() == null) {
            s.setNull(5, Types.BIGINT);
        } else {
            s.setLong(5, d.interval().toMillis());
        }
        s.setTimestamp(6, ts(d.startAt()));
        s.setString(7, d.jobType());
        s.setString(8, d.payload());
        s.setInt(9, d.priority());
        s.setBoolean(10, d.singleton());
        s.setString(11, d.missed().name());
        s.setString(12, d.origin().name());
        return 13;
    }

    /** Pauses or resumes a schedule. @return the schedule as it is now, or empty if there is none */
    public Optional<Schedule> pause(String name, boolean paused) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                try (PreparedStatement s = c.prepareStatement("UPDATE worker_schedule SET paused = ?, version = version + 1, "
                        + "updated_at = ? WHERE name = ? AND paused <> ?")) {
                    s.setBoolean(1, paused);
                    s.setTimestamp(2, ts(now));
                    s.setString(3, name);
                    s.setBoolean(4, paused);
                    s.executeUpdate();
                }
                tx.commit();
                return find(c, name);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not " + (paused ? "pause" : "resume") + " schedule " + name, e);
        }
    }

    /**
     * Deletes a schedule and its history (a new schedule of the same name starts afresh); the
     * jobs it started stay. @return false if there was none
     */
    public boolean delete(String name) {
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                try (PreparedStatement firings = c.prepareStatement("DELETE FROM worker_schedule_firing WHERE schedule_name = ?");
                     PreparedStatement schedule = c.prepareStatement("DELETE FROM worker_schedule WHERE name = ?")) {
                    firings.setString(1, name);
                    firings.executeUpdate();
                    schedule.setString(1, name);
                    boolean deleted = schedule.executeUpdate() == 1;
                    tx.commit();
                    return deleted;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete schedule " + name, e);
        }
    }

    public Optional<Schedule> find(String name) {
        try {
            return database.withConnection(c -> find(c, name));
        } catch (SQLException e) {
            throw new StoreException("Could not read schedule " + name, e);
        }
    }

    /**
     * A page of the schedules, in the order of their names.
     *
     * @param afterName only schedules whose names come after this one (the next page), or null
     */
    public List<Schedule> page(int limit, String afterName) {
        try {
            return new PagedQuery("SELECT " + COLUMNS + " FROM worker_schedule")
                    .pageByKey(database, "name", limit, afterName, ScheduleStore::schedules);
        } catch (SQLException e) {
            throw new StoreException("Could not list schedules", e);
        }
    }

    /** @return every schedule, by name */
    public List<Schedule> list() {
        try {
            return database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM worker_schedule ORDER BY name")) {
                    return schedules(s);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not list schedules", e);
        }
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
                Optional<Schedule> current = find(c, schedule.name());
                if (current.isEmpty() || current.get().version() != schedule.version() || current.get().paused()) {
                    return Optional.empty();
                }
                Claim claim = work.decide(c);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_schedule_firing (schedule_name, scope, scheduled_for, "
                        + "recorded_at, outcome, job_id, server, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, schedule.name());
                    s.setString(2, scope);
                    s.setTimestamp(3, ts(scheduledFor));
                    s.setTimestamp(4, ts(now));
                    s.setString(5, claim.outcome().name());
                    s.setString(6, claim.jobId());
                    s.setString(7, server);
                    s.setString(8, truncate(claim.detail(), 1000));
                    s.executeUpdate();
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

    /**
     * Deletes history recorded before the instant, except each schedule's latest firing in each
     * scope: a starting server counts missed firings from it.
     *
     * @return how many entries were deleted
     */
    public int pruneHistory(Instant before) {
        try {
            return database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM worker_schedule_firing WHERE recorded_at < ? "
                        + "AND seq NOT IN (SELECT MAX(seq) FROM worker_schedule_firing GROUP BY schedule_name, scope)")) {
                    s.setTimestamp(1, ts(before));
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not prune the schedules' history", e);
        }
    }

    /** @return the latest firing of the schedule in the scope, whatever became of it */
    public Optional<Firing> lastFiring(String name, String scope) {
        try {
            return database.withConnection(c -> firstFiring(c, "SELECT " + FIRING_COLUMNS + " FROM worker_schedule_firing "
                    + "WHERE schedule_name = ? AND scope = ? ORDER BY scheduled_for DESC FETCH FIRST 1 ROWS ONLY", name, scope));
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
        Optional<Firing> firing = firstFiring(c, "SELECT " + FIRING_COLUMNS + " FROM worker_schedule_firing "
                + "WHERE schedule_name = ? AND scope = ? AND job_id IS NOT NULL ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", name, scope);
        return firing.isEmpty() ? Optional.empty() : jobs.findWithin(c, firing.get().jobId());
    }

    /** @return the latest firing of each of these schedules that has one, by schedule name */
    public Map<String, Firing> lastFirings(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        try {
            return database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT " + FIRING_COLUMNS + " FROM worker_schedule_firing "
                        + "WHERE seq IN (SELECT MAX(seq) FROM worker_schedule_firing WHERE schedule_name IN ("
                        + String.join(", ", Collections.nCopies(names.size(), "?")) + ") GROUP BY schedule_name)")) {
                    int i = 1;
                    for (String name : names) {
                        s.setString(i++, name);
                    }
                    Map<String, Firing> last = new HashMap<>();
                    firings(s).forEach(f -> last.put(f.scheduleName(), f));
                    return last;
                }
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
            return new PagedQuery("SELECT " + FIRING_COLUMNS + " FROM worker_schedule_firing")
                    .where("schedule_name", name)
                    .where("outcome", outcome == null ? null : outcome.name())
                    .page(database, limit, beforeSeq, ScheduleStore::firings);
        } catch (SQLException e) {
            throw new StoreException("Could not read the history of schedule " + name, e);
        }
    }

    private static Optional<Schedule> find(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM worker_schedule WHERE name = ?")) {
            s.setString(1, name);
            List<Schedule> found = schedules(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private static List<Schedule> schedules(PreparedStatement s) throws SQLException {
        return rows(s, rs -> {
            long every = rs.getLong("every_ms");
            Duration interval = rs.wasNull() ? null : Duration.ofMillis(every);
            ScheduleDefinition definition = new ScheduleDefinition(rs.getString("name"), ScheduleKind.valueOf(rs.getString("kind")),
                    rs.getString("cron"), rs.getString("time_zone"), interval, instant(rs.getTimestamp("start_at")),
                    rs.getString("job_type"), rs.getString("payload"), rs.getInt("priority"), rs.getBoolean("singleton"),
                    MissedFirings.valueOf(rs.getString("missed_policy")), ScheduleOrigin.valueOf(rs.getString("origin")));
            return new Schedule(definition, rs.getBoolean("paused"), rs.getLong("version"), instant(rs.getTimestamp("created_at")),
                    instant(rs.getTimestamp("updated_at")));
        });
    }

    private static Optional<Firing> firstFiring(Connection c, String sql, String name, String scope) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            s.setString(2, scope);
            List<Firing> found = firings(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private static List<Firing> firings(PreparedStatement s) throws SQLException {
        return rows(s, rs -> new Firing(rs.getLong("seq"), rs.getString("schedule_name"), rs.getString("scope"),
                instant(rs.getTimestamp("scheduled_for")), instant(rs.getTimestamp("recorded_at")),
                FiringOutcome.valueOf(rs.getString("outcome")), rs.getString("job_id"), rs.getString("server"), rs.getString("detail")));
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(PreparedStatement s, Row<T> row) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(row.read(rs));
            }
        }
        return rows;
    }
}
