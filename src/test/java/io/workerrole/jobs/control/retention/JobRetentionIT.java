package io.workerrole.jobs.control.retention;

import io.workerrole.api.JobState;
import io.workerrole.api.TaskContext;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.ClusterLease;
import io.workerrole.platform.Database;
import io.workerrole.platform.RetentionSettings;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.workerrole.platform.Database.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention of finished jobs on Derby and PostgreSQL: old finished jobs go with their
 * history and notices, each final state after its own retention; unfinished jobs stay however
 * old; a sequence keeps its last finished number; a batch is bounded; claims go on meanwhile;
 * the sweeper prunes only while it holds the cluster lease, and stops between batches. Old jobs
 * are made by moving the clock past their retention.
 */
class JobRetentionIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration KEPT = RetentionSettings.DEFAULT_RETENTION;
    private static final Duration DEAD_KEPT = RetentionSettings.DEFAULT_DEAD_RETENTION;

    private JobStores jobs;
    private Database database;

    JobRetentionIT() {
        super("worker-retention-it");
    }

    private JobRetention open(String name) throws SQLException {
        jobs = JobStores.on(db.get(name), clock);
        database = new Database(db.get(name));
        return new JobRetention(database);
    }

    /** A new job of its own type, owing a reply and a callback when it ends. */
    private static NewJob job(String type) {
        return new NewJob(new JobRequest(type, "{}", null, null, null, "http://127.0.0.1:9/done", null, false),
                JobSource.JMS, 4, 1, "ID:" + UUID.randomUUID(), "corr", "jms/worker/replies", null);
    }

    private static String uniqueType() {
        return "r" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Claims every queued job that earlier tests left, for nobody, so that a test claims only its own. */
    private void drain() {
        jobs.claimAny(10_000, "drain-" + UUID.randomUUID(), LEASE);
    }

    /** @return {@code count} new jobs of one type, recorded in one transaction and claimed by one new owner */
    private List<Job> running(int count) throws SQLException {
        drain();
        String type = uniqueType();
        database.inTransaction(tx -> {
            for (int i = 0; i < count; i++) {
                jobs.recorder().insertNew(tx.connection(), job(type));
            }
            tx.commit();
            return null;
        });
        List<Job> claimed = jobs.claimAny(count, "owner-" + UUID.randomUUID(), LEASE);
        assertEquals(count, claimed.stream().filter(j -> j.type().equals(type)).count());
        return claimed;
    }

    private List<String> succeeded(int count) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (Job job : running(count)) {
            assertTrue(jobs.outcomes().succeed(job, job.owner(), "1"));
            ids.add(job.id());
        }
        return ids;
    }

    /** @return {@code count} DEAD jobs, killed together: their server died during their only attempt */
    private List<String> dead(int count) throws SQLException {
        List<Job> running = running(count);
        List<Job> recovered = jobs.leases().recover(running.get(0).owner());
        assertEquals(count, recovered.stream().filter(j -> j.state() == JobState.DEAD).count());
        return running.stream().map(Job::id).toList();
    }

    private String rejected() {
        NewJob arrival = new NewJob(null, JobSource.JMS, 4, 0, "ID:" + UUID.randomUUID(), "corr", "jms/worker/replies", clock.instant());
        return jobs.recorder().insertRejected(null, "{not json", "the message is not valid JSON", arrival).job().id();
    }

    /** No code cancels a job yet: a queued one is made CANCELLED as an admin's cancel would. */
    private String cancelled() throws SQLException {
        String id = jobs.recorder().insert(job(uniqueType())).job().id();
        update("UPDATE worker_job SET state = 'CANCELLED', finished_at = ? WHERE id = ?", id);
        return id;
    }

    /** Runs a whole pass at the clock's time, with the default retentions. */
    private static int sweepAll(JobRetention retention, Instant now) throws SQLException {
        JobRetention.Sweep sweep = retention.sweep(now.minus(KEPT), now.minus(DEAD_KEPT));
        while (!sweep.isDone()) {
            sweep.deleteBatch();
        }
        return sweep.deleted();
    }

    /** Deletes every finished job that earlier tests left, whatever its age, so that a test counts only its own. */
    private void deleteEveryFinishedJob(JobRetention retention) throws SQLException {
        Instant later = clock.instant().plus(Duration.ofDays(3650));
        JobRetention.Sweep sweep = retention.sweep(later, later);
        while (!sweep.isDone()) {
            sweep.deleteBatch();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void finishedJobsPastTheRetentionGoWithTheirHistoryAndNotices(String name) throws SQLException {
        JobRetention retention = open(name);
        String succeeded = succeeded(1).get(0);
        String cancelled = cancelled();
        String rejected = rejected();
        List<String> old = List.of(succeeded, cancelled, rejected);
        for (String id : old) {
            assertTrue(count("worker_job_event", id) > 0, "history of " + id);
        }
        assertEquals(2, count("worker_notice", succeeded), "reply and callback owed");
        assertEquals(1, count("worker_notice", rejected), "reply owed");

        clock.advance(KEPT.plusSeconds(1));
        sweepAll(retention, clock.instant());

        for (String id : old) {
            assertTrue(jobs.queries().find(id).isEmpty(), id);
            assertEquals(0, count("worker_job_event", id), "history of " + id);
            assertEquals(0, count("worker_notice", id), "notices of " + id);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobFinishedJustInsideTheRetentionStays(String name) throws SQLException {
        JobRetention retention = open(name);
        String id = succeeded(1).get(0);

        clock.advance(KEPT);
        sweepAll(retention, clock.instant());
        assertEquals(JobState.SUCCEEDED, jobs.queries().find(id).orElseThrow().state(), "finished exactly one retention ago");

        clock.advance(Duration.ofMillis(1));
        sweepAll(retention, clock.instant());
        assertTrue(jobs.queries().find(id).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void queuedRunningAndFailedJobsStayHoweverOld(String name) throws SQLException {
        JobRetention retention = open(name);
        List<Job> started = running(2);
        Job failed = started.get(0);
        assertTrue(jobs.outcomes().retryLater(failed, failed.owner(), "boom", clock.instant().plus(Duration.ofDays(1000))));
        String runningId = started.get(1).id();
        String queued = jobs.recorder().insert(job(uniqueType())).job().id();
        // None of them has finished, so none has a finish time; give them one, as if left from an
        // earlier end, so that only their state keeps them.
        for (String id : List.of(failed.id(), runningId, queued)) {
            update("UPDATE worker_job SET finished_at = ? WHERE id = ?", id);
        }

        clock.advance(DEAD_KEPT.multipliedBy(10));
        sweepAll(retention, clock.instant());

        assertEquals(JobState.FAILED, jobs.queries().find(failed.id()).orElseThrow().state());
        assertEquals(JobState.RUNNING, jobs.queries().find(runningId).orElseThrow().state());
        assertEquals(JobState.QUEUED, jobs.queries().find(queued).orElseThrow().state());
        assertEquals(3, count("worker_job_event", failed.id()), "its history stays too");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deadJobsAreKeptForTheirOwnLongerRetention(String name) throws SQLException {
        JobRetention retention = open(name);
        String dead = dead(1).get(0);
        assertEquals(3, count("worker_notice", dead), "reply, callback and dead-letter copy owed");

        clock.advance(KEPT.plusSeconds(1));
        sweepAll(retention, clock.instant());
        assertEquals(JobState.DEAD, jobs.queries().find(dead).orElseThrow().state(), "past the retention of other final states");
        assertEquals(3, count("worker_notice", dead));

        clock.advance(DEAD_KEPT.minus(KEPT));
        sweepAll(retention, clock.instant());
        assertTrue(jobs.queries().find(dead).isEmpty());
        assertEquals(0, count("worker_job_event", dead));
        assertEquals(0, count("worker_notice", dead));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLastFinishedJobOfASequenceStaysUntilAHigherNumberHasFinished(String name) throws SQLException {
        JobRetention retention = open(name);
        String type = uniqueType();
        String key = "order-" + type;
        String first = jobs.recorder().insert(sequenced(type, key, 1)).job().id();
        String second = jobs.recorder().insert(sequenced(type, key, 2)).job().id();
        assertEquals(List.of(1L), runRunnable(type));
        assertEquals(List.of(2L), runRunnable(type));

        clock.advance(KEPT.plusSeconds(1));
        sweepAll(retention, clock.instant());
        assertTrue(jobs.queries().find(first).isEmpty(), "1 goes: 2 finished after it");
        assertEquals(JobState.SUCCEEDED, jobs.queries().find(second).orElseThrow().state(), "2 is its key's last");

        String third = jobs.recorder().insert(sequenced(type, key, 3)).job().id();
        sweepAll(retention, clock.instant());
        assertEquals(JobState.SUCCEEDED, jobs.queries().find(second).orElseThrow().state(), "3 has arrived but not run");
        assertEquals(List.of(3L), runRunnable(type), "3 finds its predecessor and runs at once, not after the gap timeout");

        clock.advance(KEPT.plusSeconds(1));
        sweepAll(retention, clock.instant());
        assertTrue(jobs.queries().find(second).isEmpty(), "2 goes once 3 has finished");
        assertEquals(JobState.SUCCEEDED, jobs.queries().find(third).orElseThrow().state(), "3 is now the last");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void oneCallDeletesAtMostOneBatch(String name) throws SQLException {
        JobRetention retention = open(name);
        deleteEveryFinishedJob(retention);
        List<String> old = dead(JobRetention.BATCH + 20);

        clock.advance(DEAD_KEPT.plusSeconds(1));
        JobRetention.Sweep sweep = retention.sweep(clock.instant().minus(KEPT), clock.instant().minus(DEAD_KEPT));
        assertEquals(JobRetention.BATCH, sweep.deleteBatch());
        assertFalse(sweep.isDone());
        assertEquals(20, present(old));

        assertEquals(20, sweep.deleteBatch());
        assertTrue(sweep.isDone(), "a short batch ends the pass");
        assertEquals(JobRetention.BATCH + 20, sweep.deleted());
        assertEquals(0, present(old));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBatchStopsAtItsBudgetOfHistoryRowsAndAJobWithMoreGoesAlone(String name) throws SQLException {
        open(name);
        JobRetention small = new JobRetention(database, 10, 7);
        deleteEveryFinishedJob(small);
        succeeded(5); // three history rows each: QUEUED, RUNNING, SUCCEEDED

        clock.advance(KEPT.plusSeconds(1));
        JobRetention.Sweep sweep = small.sweep(clock.instant().minus(KEPT), clock.instant().minus(DEAD_KEPT));
        assertEquals(2, sweep.deleteBatch(), "6 of 7 rows");
        assertEquals(2, sweep.deleteBatch());
        assertEquals(1, sweep.deleteBatch());
        assertTrue(sweep.isDone());

        JobRetention tiny = new JobRetention(database, 10, 2);
        succeeded(2);
        clock.advance(KEPT.plusSeconds(1));
        JobRetention.Sweep alone = tiny.sweep(clock.instant().minus(KEPT), clock.instant().minus(DEAD_KEPT));
        assertEquals(1, alone.deleteBatch(), "three rows, over the budget of two: alone");
        assertEquals(1, alone.deleteBatch());
        assertEquals(0, alone.deleteBatch());
        assertTrue(alone.isDone());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimsGoOnWhileFinishedJobsArePruned(String name) throws Exception {
        open(name);
        JobRetention retention = new JobRetention(database, 50, JobRetention.MAX_EVENTS);
        deleteEveryFinishedJob(retention);
        List<String> old = dead(600);
        clock.advance(DEAD_KEPT.plusSeconds(1));
        drain();
        String type = uniqueType();
        Set<String> queued = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            queued.add(jobs.recorder().insert(job(type)).job().id());
        }

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Instant now = clock.instant();
            CompletableFuture<Integer> pruned = CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return sweepAll(retention, now);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            CompletableFuture<List<String>> claimed = CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                List<String> mine = new ArrayList<>();
                for (List<Job> batch = jobs.claimAny(20, "claimer", LEASE); !batch.isEmpty(); batch = jobs.claimAny(20, "claimer", LEASE)) {
                    for (Job job : batch) {
                        assertTrue(jobs.outcomes().succeed(job, "claimer", "1"));
                        mine.add(job.id());
                    }
                }
                return mine;
            }, threads);
            start.countDown();

            assertEquals(600, pruned.get(2, TimeUnit.MINUTES));
            List<String> mine = claimed.get(2, TimeUnit.MINUTES);
            assertEquals(200, mine.size(), "every queued job claimed");
            assertEquals(queued, new HashSet<>(mine), "each once");
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, present(old));
        assertEquals(Set.of(JobState.SUCCEEDED), new HashSet<>(states(queued).values()), "none lost: each ran to its end");
        assertEquals(queued.size(), states(queued).size(), "and, being recent, stays");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSweeperHoldingTheLeaseDeletesBatchAfterBatchSaysSoInOneLineAndReleasesTheLease(String name) throws Exception {
        open(name);
        JobRetention small = new JobRetention(database, 10, JobRetention.MAX_EVENTS);
        deleteEveryFinishedJob(small);
        List<String> old = dead(25);
        clock.advance(DEAD_KEPT.plusSeconds(1));

        List<String> lines = sweepOnce(sweeper(small), false);

        assertEquals(0, present(old));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Deleted 25 finished job(s), with their history and notices, in 3 batch(es)"), lines.get(0));
        assertTrue(leases().hold(RetentionSweeper.LEASE, "another-server", LEASE), "released when the task stopped");
        assertTrue(leases().release(RetentionSweeper.LEASE, "another-server"));
        assertEquals(List.of(), sweepOnce(sweeper(small), false), "nothing left to delete: nothing to say");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSweeperDeletesNothingWhileAnotherServerHoldsTheLease(String name) throws Exception {
        open(name);
        JobRetention small = new JobRetention(database, 10, JobRetention.MAX_EVENTS);
        deleteEveryFinishedJob(small);
        List<String> old = dead(5);
        clock.advance(DEAD_KEPT.plusSeconds(1));
        assertTrue(leases().hold(RetentionSweeper.LEASE, "another-server", LEASE));
        try {
            assertEquals(List.of(), sweepOnce(sweeper(small), false));
            assertEquals(5, present(old));
        } finally {
            leases().release(RetentionSweeper.LEASE, "another-server");
        }
        sweepOnce(sweeper(small), false);
        assertEquals(0, present(old), "once it is free");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSweeperAskedToStopEndsAfterTheBatchItIsIn(String name) throws Exception {
        open(name);
        JobRetention small = new JobRetention(database, 10, JobRetention.MAX_EVENTS);
        deleteEveryFinishedJob(small);
        List<String> old = dead(25);
        clock.advance(DEAD_KEPT.plusSeconds(1));

        List<String> lines = sweepOnce(sweeper(small), true);

        assertEquals(15, present(old));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("the rest waits for the next sweep"), lines.get(0));
    }

    private ClusterLease leases() {
        return new ClusterLease(database, clock);
    }

    /** A sweeper on this test's store and clock, with the default retentions, on the server "this-server". */
    private RetentionSweeper sweeper(JobRetention retention) {
        RetentionSweeper sweeper = new RetentionSweeper();
        sweeper.retention = retention;
        sweeper.leases = leases();
        sweeper.clock = clock;
        sweeper.settings = new RetentionSettings() {
            @Override
            public Duration retention() {
                return KEPT;
            }

            @Override
            public Duration deadRetention() {
                return DEAD_KEPT;
            }

            @Override
            public Duration interval() {
                return RetentionSettings.DEFAULT_INTERVAL;
            }
        };
        sweeper.jobSettings = new JobSettings() {
            @Override
            public String serverId() {
                return "this-server";
            }
        };
        return sweeper;
    }

    /**
     * Runs the sweeper for one sweep: asked to stop when it next waits, or (stopAtOnce) as soon
     * as it checks.
     *
     * @return the INFO lines it logged
     */
    private static List<String> sweepOnce(RetentionSweeper sweeper, boolean stopAtOnce) throws Exception {
        Logger log = Logger.getLogger(RetentionSweeper.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.INFO) {
                    lines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try {
            sweeper.run(new TaskContext() {
                @Override
                public String taskName() {
                    return "job-retention";
                }

                @Override
                public boolean stopRequested() {
                    return stopAtOnce;
                }

                @Override
                public boolean awaitStop(Duration timeout) {
                    return true;
                }

                @Override
                public int restarts() {
                    return 0;
                }
            });
        } finally {
            log.removeHandler(handler);
        }
        return lines;
    }

    private static NewJob sequenced(String type, String key, long number) {
        return new NewJob(new JobRequest(type, "{}", null, key, number, null, null, false), JobSource.JMS, 4, 3, null, null, null, null);
    }

    /**
     * Claims everything runnable now, as dispatchers would, and then completes it; returns the
     * numbers of the type's jobs that ran.
     */
    private List<Long> runRunnable(String type) {
        List<Job> mine = new ArrayList<>();
        for (List<Job> batch = jobs.claimAny(100, "me", LEASE); !batch.isEmpty(); batch = jobs.claimAny(100, "me", LEASE)) {
            for (Job job : batch) {
                if (job.type().equals(type)) {
                    mine.add(job);
                } else {
                    jobs.outcomes().succeed(job, "me", "null");
                }
            }
        }
        mine.forEach(job -> assertTrue(jobs.outcomes().succeed(job, "me", "null")));
        return mine.stream().map(Job::sequenceNumber).toList();
    }

    /** Sets the job's finish time to the clock's time (the one parameter besides its id). */
    private void update(String sql, String id) throws SQLException {
        database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setTimestamp(1, ts(clock.instant()));
                s.setString(2, id);
                assertEquals(1, s.executeUpdate());
                return null;
            }
        });
    }

    /** @return how many of these jobs are still in the store (read on one connection: a PostgreSQL connection costs milliseconds) */
    private int present(List<String> ids) throws SQLException {
        return states(ids).size();
    }

    /** @return the states of those of these jobs that are still in the store */
    private Map<String, JobState> states(Collection<String> ids) throws SQLException {
        return database.withConnection(c -> {
            Map<String, JobState> states = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT state FROM worker_job WHERE id = ?")) {
                for (String id : ids) {
                    s.setString(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            states.put(id, JobState.valueOf(rs.getString(1)));
                        }
                    }
                }
            }
            return states;
        });
    }

    private int count(String table, String jobId) throws SQLException {
        return database.withConnection(c -> count(c, table, jobId));
    }

    private static int count(Connection c, String table, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
