package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.DeadGroup;
import io.workerrole.jobs.entity.FinishedMinute;
import io.workerrole.platform.Database;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.workerrole.platform.Database.ts;

/**
 * The figures of the dashboard, counted by the database so that they stay fast on a big store:
 * each reads an index range (the finished jobs of the last hour, or the dead ones through the
 * claim index, state first), never the bulk of the finished jobs. The backlog by state and type
 * is {@link JobQueries#backlogByType}.
 */
public class JobStatistics {

    private final Database database;
    private final Dialect dialect;

    /** For CDI proxies. */
    protected JobStatistics() {
        this(null, null);
    }

    public JobStatistics(Database database, Dialect dialect) {
        this.database = database;
        this.dialect = dialect;
    }

    /**
     * @param from the first minute's start
     * @return one entry per minute from {@code from}, oldest first, {@code minutes} of them, each
     *         with the jobs that ended in it (minutes without any have empty counts)
     */
    public List<FinishedMinute> finishedPerMinute(Instant from, int minutes) {
        Instant to = from.plus(Duration.ofMinutes(minutes));
        List<Map<JobState, Long>> counts = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            counts.add(new EnumMap<>(JobState.class));
        }
        // The minute is computed in a derived table, so that its parameter is not in the GROUP BY.
        String sql = "SELECT minute_index, state, COUNT(*) FROM (SELECT " + dialect.minutesSince("finished_at") + " AS minute_index, state "
                + "FROM worker_job WHERE finished_at >= ? AND finished_at < ?) finished GROUP BY minute_index, state";
        try {
            database.withConnection(c -> {
                Jdbc.forEach(c, sql, s -> {
                    s.setTimestamp(1, ts(from));
                    s.setTimestamp(2, ts(from));
                    s.setTimestamp(3, ts(to));
                }, rs -> {
                    int minute = rs.getInt(1);
                    if (minute >= 0 && minute < minutes) {
                        counts.get(minute).merge(JobState.valueOf(rs.getString(2)), rs.getLong(3), Long::sum);
                    }
                });
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not count the jobs finished per minute", e);
        }
        List<FinishedMinute> perMinute = new ArrayList<>(minutes);
        for (int i = 0; i < minutes; i++) {
            perMinute.add(new FinishedMinute(from.plus(Duration.ofMinutes(i)), counts.get(i)));
        }
        return perMinute;
    }

    /** @return the dead jobs grouped by type and error, the biggest groups first, at most {@code limit} groups */
    public List<DeadGroup> deadGroups(int limit) {
        try {
            return database.withConnection(c -> Jdbc.query(c, "SELECT type, error, COUNT(*) AS dead, MAX(finished_at) FROM worker_job "
                    + "WHERE state = 'DEAD' GROUP BY type, error ORDER BY dead DESC, type FETCH FIRST " + limit + " ROWS ONLY", Jdbc.Parameters.NONE,
                    rs -> new DeadGroup(rs.getString(1), rs.getString(2), rs.getLong(3), Database.instant(rs.getTimestamp(4)))));
        } catch (SQLException e) {
            throw new StoreException("Could not group the dead jobs", e);
        }
    }
}
