package io.workerrole.it.support;

import io.workerrole.testing.LocalPostgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What schedules' firings and their jobs left in a PostgreSQL job store that several servers
 * share, read with SQL, for tests that a singleton fires once per instant across the servers.
 * Firings are claimed per instant and scope (a UNIQUE key), so two firing rows for one instant
 * cannot exist; what can go wrong is the jobs they make, counted by their correlation ids
 * ({@code schedule NAME INSTANT}).
 */
public final class StoredFirings {

    private final DataSource database;

    /** @param database the name of the servers' PostgreSQL database on the local PostgreSQL */
    public StoredFirings(String database) {
        this.database = LocalPostgres.dataSource(database);
    }

    /** @return how many instants of the schedule have firings of this many servers (for a per-server schedule) */
    public long instantsFiredBy(String schedule, int servers) throws SQLException {
        return count("SELECT COUNT(*) FROM (SELECT scheduled_for FROM worker_schedule_firing WHERE schedule_name = ? "
                + "GROUP BY scheduled_for HAVING COUNT(DISTINCT server) = " + servers + ") AS fired", schedule);
    }

    /** @return the firings of the schedule due after this instant that this server (its name, without the host) recorded */
    public long firingsAfter(String schedule, Instant after, String server) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM worker_schedule_firing WHERE schedule_name = ? "
                     + "AND scheduled_for > ? AND server LIKE ?")) {
            s.setString(1, schedule);
            s.setTimestamp(2, Timestamp.from(after));
            s.setString(3, server + "@%");
            return single(s);
        }
    }

    /** @return how many of the schedule's firings RAN (each of which made one job) */
    public long ranFirings(String schedule) throws SQLException {
        return count("SELECT COUNT(*) FROM worker_schedule_firing WHERE schedule_name = ? AND outcome = 'RAN'", schedule);
    }

    /** @return how many jobs the schedule's firings made */
    public long jobs(String schedule) throws SQLException {
        return count("SELECT COUNT(*) FROM worker_job WHERE correlation_id LIKE ?", correlationIds(schedule));
    }

    /** @return the correlation ids (one per instant) that more than this many of the schedule's jobs share */
    public List<String> instantsWithMoreJobsThan(String schedule, int jobs) throws SQLException {
        return strings("SELECT correlation_id FROM worker_job WHERE correlation_id LIKE ? GROUP BY correlation_id HAVING COUNT(*) > " + jobs,
                correlationIds(schedule));
    }

    /** @return the scopes of the schedule's firings: {@code *} alone for a singleton */
    public List<String> scopes(String schedule) throws SQLException {
        return strings("SELECT DISTINCT scope FROM worker_schedule_firing WHERE schedule_name = ?", schedule);
    }

    private static String correlationIds(String schedule) {
        return "schedule " + schedule + " %";
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            return single(s);
        }
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql, String parameter) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
