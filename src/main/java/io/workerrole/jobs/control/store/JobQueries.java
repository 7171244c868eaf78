package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobFilter;
import io.workerrole.jobs.entity.JobStateMachine;
import io.workerrole.jobs.entity.QueueDepth;
import io.workerrole.jobs.entity.QueueFigures;
import io.workerrole.jobs.entity.Transition;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.SqlConditions;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads jobs as they are now, and their history: one job by id, or a page of jobs newest first.
 * Reads change nothing and take no locks; a job read here may change the next moment.
 */
public class JobQueries {

    private final Database database;

    /** For CDI proxies. */
    protected JobQueries() {
        this(null);
    }

    public JobQueries(Database database) {
        this.database = database;
    }

    public Optional<Job> find(String id) {
        try {
            return database.withConnection(c -> JobRows.byId(c, id));
        } catch (SQLException e) {
            throw new StoreException("Could not read job " + id, e);
        }
    }

    /** Reads a job inside a wider transaction. */
    public Optional<Job> find(Connection c, String id) throws SQLException {
        return JobRows.byId(c, id);
    }

    /**
     * @return the job that holds a mutex key now (RUNNING), if any: a read of the index the claim
     *         reads the same thing by
     */
    public Optional<String> holderOf(String mutexKey) {
        try {
            return database.withConnection(c -> Jdbc.queryOne(c, "SELECT id FROM worker_job WHERE mutex_key = ? AND "
                    + JobStateMachine.condition("state", EnumSet.of(JobStateMachine.Change.CLAIM.target())),
                    s -> s.setString(1, mutexKey), rs -> rs.getString(1)));
        } catch (SQLException e) {
            throw new StoreException("Could not read the holder of mutex " + mutexKey, e);
        }
    }

    /** @return the job's history, oldest first */
    public List<Transition> history(String id) {
        try {
            return database.withConnection(c -> JobHistory.read(c, id));
        } catch (SQLException e) {
            throw new StoreException("Could not read the history of job " + id, e);
        }
    }

    /**
     * Lists jobs, newest first, a page at a time.
     *
     * @param limit at most this many
     * @param beforeSeq only jobs older than this position (for the next page), or null
     */
    public List<Job> list(JobFilter filter, int limit, Long beforeSeq) {
        try {
            return new PagedQuery(JobRows.SELECT)
                    .where("state", filter.state() == null ? null : filter.state().name())
                    .where(conditions(filter))
                    .page(database, limit, beforeSeq, JobRows::jobs);
        } catch (SQLException e) {
            throw new StoreException("Could not list jobs", e);
        }
    }

    /** The filter's conditions but its state, which the listing and the requeue of dead jobs each treat their own way. */
    static SqlConditions conditions(JobFilter filter) {
        return new SqlConditions()
                .equal("type", filter.type())
                .equal("idempotency_key", filter.idempotencyKey())
                .holds("created_at >= ?", filter.from() == null ? null : Database.ts(filter.from()))
                .holds("created_at < ?", filter.to() == null ? null : Database.ts(filter.to()))
                .contains("error", filter.errorContains())
                .equal("error", filter.error());
    }

    /** @return how many jobs wait, run or lie dead, by state, and since when the oldest queued job could run */
    public Backlog backlog() {
        return backlogByType(0).totals();
    }

    /**
     * Counts the unfinished and dead jobs by state and type in one pass over the claim index (it
     * finds these states without reading the finished jobs, the bulk of a store): the dashboard's
     * deepest queues and the autoscaling gauges' figures of every type come from this one query.
     *
     * @param queuesShown how many of the deepest queues to keep
     */
    public BacklogByType backlogByType(int queuesShown) {
        try {
            return database.withConnection(c -> {
                Map<JobState, Long> counts = new EnumMap<>(JobState.class);
                List<QueueDepth> queues = new ArrayList<>();
                Map<String, QueueFigures> types = new HashMap<>();
                Jdbc.forEach(c, "SELECT state, type, COUNT(*), MIN(run_after) FROM worker_job "
                        + "WHERE state IN ('QUEUED', 'SCHEDULED', 'RUNNING', 'FAILED', 'DEAD') GROUP BY state, type", Jdbc.Parameters.NONE, rs -> {
                    JobState state = JobState.valueOf(rs.getString(1));
                    String type = rs.getString(2);
                    long count = rs.getLong(3);
                    counts.merge(state, count, Long::sum);
                    if (state == JobState.QUEUED) {
                        queues.add(new QueueDepth(type, count, Database.instant(rs.getTimestamp(4))));
                    }
                    QueueFigures figures = switch (state) {
                        case QUEUED -> new QueueFigures(count, 0, 0, Database.instant(rs.getTimestamp(4)));
                        case SCHEDULED, FAILED -> new QueueFigures(0, count, 0, null);
                        case RUNNING -> new QueueFigures(0, 0, count, null);
                        default -> null;  // DEAD: counted above, not work to scale for
                    };
                    if (figures != null) {
                        types.merge(type, figures, QueueFigures::plus);
                    }
                });
                Instant oldestQueued = queues.stream().map(QueueDepth::oldest).min(Comparator.naturalOrder()).orElse(null);
                queues.sort(Comparator.comparingLong(QueueDepth::queued).reversed().thenComparing(QueueDepth::type));
                return new BacklogByType(new Backlog(counts, oldestQueued), queues.subList(0, Math.min(queuesShown, queues.size())), types);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not count the jobs by state and type", e);
        }
    }
}
