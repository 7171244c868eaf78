package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.DeadGroup;
import io.workerrole.jobs.entity.FinishedMinute;
import io.workerrole.jobs.entity.QueueDepth;
import io.workerrole.jobs.entity.QueueFigures;
import io.workerrole.platform.Database;
import io.workerrole.platform.Dialect;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.workerrole.platform.Database.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's figures ({@link JobStatistics}) on both databases, over rows written as the
 * store writes them. Each test works in an hour and on types of its own, so the tests of one
 * database do not see each other's jobs.
 */
class JobStatisticsIT extends StoreDatabaseTest {

    JobStatisticsIT() {
        super("worker-statistics-it");
    }

    private JobStatistics statistics(String database) throws SQLException {
        return new JobStatistics(new Database(db.get(database)), Dialect.of(db.get(database)));
    }

    private JobQueries queries(String database) {
        return new JobQueries(new Database(db.get(database)));
    }

    /** A minute of its own in the years before any other test's clock: no other job ended in the hour after it. */
    private static Instant anHourOfItsOwn() {
        return Instant.parse("2001-01-01T00:00:00Z").plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(100_000)));
    }

    private static String uniqueType() {
        return "s" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void jobsAreCountedInTheMinuteTheyEndedInByHowTheyEnded(String database) throws SQLException {
        Instant from = anHourOfItsOwn();
        String type = uniqueType();
        insert(database, type, JobState.SUCCEEDED, from, null);                                  // the first instant of minute 0
        insert(database, type, JobState.SUCCEEDED, from.plusSeconds(59).plusMillis(999), null); // its last millisecond
        insert(database, type, JobState.DEAD, from.plusSeconds(60), "broken");                // minute 1
        insert(database, type, JobState.CANCELLED, from.plus(Duration.ofMinutes(59)).plusSeconds(30), null);
        insert(database, type, JobState.SUCCEEDED, from.minusMillis(1), null);                 // before the window
        insert(database, type, JobState.SUCCEEDED, from.plus(Duration.ofMinutes(60)), null);   // after it

        List<FinishedMinute> minutes = statistics(database).finishedPerMinute(from, 60);

        assertEquals(60, minutes.size());
        assertEquals(from, minutes.get(0).minute());
        assertEquals(from.plus(Duration.ofMinutes(59)), minutes.get(59).minute());
        assertEquals(2, minutes.get(0).count(JobState.SUCCEEDED));
        assertEquals(0, minutes.get(0).count(JobState.DEAD));
        assertEquals(1, minutes.get(1).count(JobState.DEAD));
        assertEquals(1, minutes.get(59).count(JobState.CANCELLED));
        long all = minutes.stream().mapToLong(m -> m.counts().values().stream().mapToLong(Long::longValue).sum()).sum();
        assertEquals(4, all, "the jobs outside the hour are not counted");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theBacklogIsCountedByStateAndTheQueuesByTypeDeepestFirstWithTheirOldest(String database) throws SQLException {
        Instant at = anHourOfItsOwn();
        String deep = uniqueType();
        String shallow = uniqueType();
        insert(database, deep, JobState.QUEUED, at.plusSeconds(5), null);
        insert(database, deep, JobState.QUEUED, at, null);
        insert(database, deep, JobState.RUNNING, at.minusSeconds(60), null);
        insert(database, shallow, JobState.QUEUED, at.plusSeconds(9), null);

        BacklogByType before = queries(database).backlogByType(1_000);
        Instant ancient = at.minus(Duration.ofDays(10_000));
        insert(database, uniqueType(), JobState.QUEUED, ancient, null);
        BacklogByType after = queries(database).backlogByType(1_000);

        List<QueueDepth> queues = before.queues().stream().filter(q -> q.type().equals(deep) || q.type().equals(shallow)).toList();
        assertEquals(List.of(new QueueDepth(deep, 2, at), new QueueDepth(shallow, 1, at.plusSeconds(9))), queues,
                "a running job is not queued");
        assertEquals(before.totals().count(JobState.QUEUED) + 1, after.totals().count(JobState.QUEUED));
        assertEquals(before.totals().count(JobState.RUNNING), after.totals().count(JobState.RUNNING));
        assertFalse(after.totals().oldestQueued().isAfter(ancient), "the oldest of all queues");
        assertTrue(queries(database).backlogByType(1).queues().size() <= 1, "at most the queues asked for");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eachTypeHasItsQueuedDelayedAndRunningJobsAndItsOldestQueuedOne(String database) throws SQLException {
        Instant at = anHourOfItsOwn();
        String type = uniqueType();
        insert(database, type, JobState.QUEUED, at.plusSeconds(5), null);
        insert(database, type, JobState.QUEUED, at, null);
        insert(database, type, JobState.SCHEDULED, at.minusSeconds(60), null);   // older, but not due: not the oldest queued
        insert(database, type, JobState.FAILED, at.plusSeconds(1), null);
        insert(database, type, JobState.RUNNING, at.minusSeconds(60), null);
        insert(database, type, JobState.DEAD, at.minusSeconds(60), "broken");
        insert(database, type, JobState.SUCCEEDED, at, null);
        String runningOnly = uniqueType();
        insert(database, runningOnly, JobState.RUNNING, at, null);

        BacklogByType backlog = queries(database).backlogByType(0);

        assertEquals(new QueueFigures(2, 2, 1, at), backlog.of(type), "a dead or finished job is no work to scale for");
        assertEquals(new QueueFigures(0, 0, 1, null), backlog.of(runningOnly));
        assertEquals(QueueFigures.NONE, backlog.of(uniqueType()));
        assertEquals(new QueueFigures(2, 2, 2, at), backlog.of(List.of(type, runningOnly)), "a role's types together");
        assertTrue(backlog.queues().isEmpty(), "no deepest queues asked for");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deadJobsAreGroupedByTypeAndErrorBiggestFirst(String database) throws SQLException {
        Instant at = anHourOfItsOwn();
        String type = uniqueType();
        insert(database, type, JobState.DEAD, at, "connection refused");
        insert(database, type, JobState.DEAD, at.plusSeconds(3), "connection refused");
        insert(database, type, JobState.DEAD, at.plusSeconds(1), "bad payload");
        insert(database, type, JobState.SUCCEEDED, at.plusSeconds(4), "connection refused");

        List<DeadGroup> groups = statistics(database).deadGroups(500).stream().filter(g -> g.type().equals(type)).toList();

        assertEquals(List.of(new DeadGroup(type, "connection refused", 2, at.plusSeconds(3)), new DeadGroup(type, "bad payload", 1, at.plusSeconds(1))),
                groups);
        assertTrue(statistics(database).deadGroups(1).size() <= 1, "at most the limit");
    }

    /**
     * Writes a job as the store leaves it in this state: a finished job's {@code finished_at} is
     * the instant, an unfinished one's {@code run_after} is.
     */
    private void insert(String database, String type, JobState state, Instant at, String error) throws SQLException {
        try (Connection c = db.get(database).getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO worker_job (id, type, state, priority, source, error, attempts, "
                     + "max_attempts, run_after, enqueued_at, created_at, finished_at, updated_at) VALUES (?, ?, ?, 4, 'HTTP', ?, 1, 3, ?, ?, ?, ?, ?)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, type);
            s.setString(3, state.name());
            s.setString(4, error);
            s.setTimestamp(5, ts(at));
            s.setTimestamp(6, ts(at));
            s.setTimestamp(7, ts(at));
            s.setTimestamp(8, state.isFinal() ? ts(at) : null);
            s.setTimestamp(9, ts(at));
            s.executeUpdate();
        }
    }
}
