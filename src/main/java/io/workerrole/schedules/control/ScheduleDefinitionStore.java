package io.workerrole.schedules.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleConflictException;
import io.workerrole.schedules.entity.ScheduleDefinition;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.ts;

/**
 * The schedules ({@code worker_schedule}), whatever declared them: server.xml, code, the API or a
 * script. Each change of a definition or of its pause raises its version, guarded by the version
 * read ({@code WHERE version = ?}): of two changes at one moment one wins and the other is told to
 * try again, and a firing armed for an older version records nothing ({@link FiringLedger}).
 */
public class ScheduleDefinitionStore {

    private final Database database;
    private final FiringLedger ledger;
    private final Clock clock;

    /** For CDI proxies. */
    protected ScheduleDefinitionStore() {
        this(null, null, null);
    }

    public ScheduleDefinitionStore(Database database, FiringLedger ledger, Clock clock) {
        this.database = database;
        this.ledger = ledger;
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
                Optional<Schedule> existing = ScheduleRows.find(c, definition.name());
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

    /** @return who may change the schedule, and where: the message of a refused change */
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

    private static boolean insert(Connection c, ScheduleDefinition d, Instant now) throws SQLException {
        try {
            Jdbc.update(c, "INSERT INTO worker_schedule (" + ScheduleRows.COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                int i = ScheduleRows.bindDefinition(s, d);
                s.setBoolean(i++, false);
                s.setLong(i++, 1);
                s.setTimestamp(i++, ts(now));
                s.setTimestamp(i, ts(now));
            });
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private static void update(Connection c, ScheduleDefinition d, long version, Instant now) throws SQLException {
        int updated = Jdbc.update(c, "UPDATE worker_schedule SET name = ?, kind = ?, cron = ?, time_zone = ?, "
                + "every_ms = ?, start_at = ?, job_type = ?, payload = ?, priority = ?, singleton = ?, missed_policy = ?, origin = ?, "
                + "version = version + 1, updated_at = ? WHERE name = ? AND version = ?", s -> {
            int i = ScheduleRows.bindDefinition(s, d);
            s.setTimestamp(i++, ts(now));
            s.setString(i++, d.name());
            s.setLong(i, version);
        });
        if (updated != 1) {
            throw new ScheduleConflictException("schedule " + d.name() + " was changed at the same moment by someone else; try again");
        }
    }

    /** Pauses or resumes a schedule. @return the schedule as it is now, or empty if there is none */
    public Optional<Schedule> pause(String name, boolean paused) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Jdbc.update(c, "UPDATE worker_schedule SET paused = ?, version = version + 1, "
                        + "updated_at = ? WHERE name = ? AND paused <> ?", s -> {
                    s.setBoolean(1, paused);
                    s.setTimestamp(2, ts(now));
                    s.setString(3, name);
                    s.setBoolean(4, paused);
                });
                tx.commit();
                return ScheduleRows.find(c, name);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not " + (paused ? "pause" : "resume") + " schedule " + name, e);
        }
    }

    /**
     * Deletes a schedule and, in the same transaction, its history (a new schedule of the same
     * name starts afresh); the jobs it started stay. @return false if there was none
     */
    public boolean delete(String name) {
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                ledger.deleteHistory(c, name);
                boolean deleted = Jdbc.update(c, "DELETE FROM worker_schedule WHERE name = ?", s -> s.setString(1, name)) == 1;
                tx.commit();
                return deleted;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete schedule " + name, e);
        }
    }

    public Optional<Schedule> find(String name) {
        try {
            return database.withConnection(c -> ScheduleRows.find(c, name));
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
            return new PagedQuery("SELECT " + ScheduleRows.COLUMNS + " FROM worker_schedule")
                    .pageByKey(database, "name", limit, afterName, s -> Jdbc.list(s, ScheduleRows::schedule));
        } catch (SQLException e) {
            throw new StoreException("Could not list schedules", e);
        }
    }

    /** @return every schedule, by name */
    public List<Schedule> list() {
        try {
            return database.withConnection(c -> Jdbc.query(c, "SELECT " + ScheduleRows.COLUMNS + " FROM worker_schedule ORDER BY name",
                    Jdbc.Parameters.NONE, ScheduleRows::schedule));
        } catch (SQLException e) {
            throw new StoreException("Could not list schedules", e);
        }
    }
}
