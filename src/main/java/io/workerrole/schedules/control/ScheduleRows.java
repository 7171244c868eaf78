package io.workerrole.schedules.control;

import io.workerrole.api.MissedFirings;
import io.workerrole.platform.Jdbc;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import io.workerrole.schedules.entity.ScheduleOrigin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.ts;

/**
 * The {@code worker_schedule} table's one column list, the binding of a definition to it and its
 * one row mapper, shared by the store of definitions ({@link ScheduleDefinitionStore}) and the
 * firing ledger ({@link FiringLedger}), which reads the schedule again in each claim.
 */
final class ScheduleRows {

    static final String COLUMNS = "name, kind, cron, time_zone, every_ms, start_at, job_type, payload, priority, "
            + "singleton, missed_policy, origin, paused, version, created_at, updated_at";

    private ScheduleRows() {
    }

    /** Reads a schedule on the caller's connection. */
    static Optional<Schedule> find(Connection c, String name) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM worker_schedule WHERE name = ?",
                s -> s.setString(1, name), ScheduleRows::schedule);
    }

    /**
     * Binds the definition to the first twelve columns of {@link #COLUMNS}, from name to origin.
     *
     * @return the index of the next parameter
     */
    static int bindDefinition(PreparedStatement s, ScheduleDefinition d) throws SQLException {
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

    /** The row mapper of a query of {@link #COLUMNS}. */
    static Schedule schedule(ResultSet rs) throws SQLException {
        long every = rs.getLong("every_ms");
        Duration interval = rs.wasNull() ? null : Duration.ofMillis(every);
        ScheduleDefinition definition = new ScheduleDefinition(rs.getString("name"), ScheduleKind.valueOf(rs.getString("kind")),
                rs.getString("cron"), rs.getString("time_zone"), interval, instant(rs.getTimestamp("start_at")),
                rs.getString("job_type"), rs.getString("payload"), rs.getInt("priority"), rs.getBoolean("singleton"),
                MissedFirings.valueOf(rs.getString("missed_policy")), ScheduleOrigin.valueOf(rs.getString("origin")));
        return new Schedule(definition, rs.getBoolean("paused"), rs.getLong("version"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }
}
