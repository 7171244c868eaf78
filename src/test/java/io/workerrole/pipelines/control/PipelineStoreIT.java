package io.workerrole.pipelines.control;

import io.workerrole.api.JobState;
import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.api.PipelineStep;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.pipelines.entity.StepJob;
import io.workerrole.platform.Database;
import io.workerrole.platform.StoreException;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipelines' stores' SQL ({@link PipelineDefinitionStore}, {@link PipelineRunStore},
 * {@link PipelineRunQueries}, {@link PipelineJobLinks}) on embedded Derby and on PostgreSQL: a
 * run, its jobs and their links are written in one transaction; a move holds the run's row lock,
 * so a second move or a cancel waits for it and finds the run as the first left it; an
 * idempotency key starts one run per caller.
 */
class PipelineStoreIT extends StoreDatabaseTest {

    private static final Duration DEADLINE = Duration.ofMinutes(5);

    PipelineStoreIT() {
        super("pipeline-store-it");
    }

    /** Every pipeline store on one database, opened as PipelineStoreProducer opens them, and the job stores. */
    private record Stores(Database database, PipelineDefinitionStore definitions, PipelineRunStore runs, PipelineRunQueries queries,
                          PipelineJobLinks links, PipelineRunRows rows, JobStores jobs) {
    }

    private Stores stores(String database) throws SQLException {
        DataSource dataSource = db.get(database);
        Database data = new Database(dataSource);
        PipelineRunRows rows = new PipelineRunRows();
        PipelineJobLinks links = new PipelineJobLinks(data);
        return new Stores(data, new PipelineDefinitionStore(data), new PipelineRunStore(data, rows, links), new PipelineRunQueries(data, rows),
                links, rows, JobStores.on(dataSource, clock));
    }

    /** Each test starts from empty pipeline tables, so that the supervisor's reads (due, stuck, ended) can be counted exactly. */
    @BeforeEach
    void emptyPipelineTables() throws SQLException {
        for (String database : databases()) {
            try (Connection c = db.get(database).getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM worker_pipeline_job");
                s.executeUpdate("DELETE FROM worker_pipeline_run");
                s.executeUpdate("DELETE FROM worker_pipeline");
            }
        }
    }

    private static Pipeline pipeline(String... types) {
        Pipeline.Builder builder = Pipeline.named("p-" + UUID.randomUUID().toString().substring(0, 8));
        for (String type : types) {
            builder.step(type);
        }
        return builder.build();
    }

    /** Starts a run as the conductor does: the run, then what it reads back, in one transaction. */
    private static PipelineRun start(Stores stores, Pipeline pipeline, String scope, String key, Instant deadline, Instant now)
            throws SQLException {
        String id = UUID.randomUUID().toString();
        return stores.database().inTransaction(tx -> {
            stores.runs().insertRun(tx.connection(), id, pipeline, "{\"n\":1}", scope, key, deadline, now);
            PipelineRun run = stores.runs().find(tx.connection(), id).orElseThrow();
            tx.commit();
            return run;
        });
    }

    private PipelineRun start(Stores stores, Pipeline pipeline) throws SQLException {
        Instant now = clock.instant();
        return start(stores, pipeline, null, null, now.plus(DEADLINE), now);
    }

    private NewJob stepJob(String type, String payload) {
        return new NewJob(JobRequest.plain(type, payload, null, PipelineStep.DEFAULT_PRIORITY), JobSource.PIPELINE,
                PipelineStep.DEFAULT_PRIORITY, 3, null, null, null, clock.instant());
    }

    /** Runs a move in a transaction of its own, as the conductor does. */
    private static <T> T move(Stores stores, Database.ConnectionWork<T> work) throws SQLException {
        return stores.database().inTransaction(tx -> {
            T result = work.run(tx.connection());
            tx.commit();
            return result;
        });
    }

    // --- definitions -------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void aDefinitionIsCreatedReplacedReadByNameAndDeleted(String database) throws SQLException {
        PipelineDefinitionStore store = stores(database).definitions();
        Pipeline first = Pipeline.named("b-" + UUID.randomUUID().toString().substring(0, 8)).step("fetch").step("ship").build();
        Pipeline changed = new Pipeline(first.name(), List.of(PipelineStep.of("fetch").compensatedBy("unfetch").withDeadline(Duration.ofMinutes(2)),
                PipelineStep.of("ship").fannedOut().withPriority(7)));
        Pipeline other = Pipeline.named("a-" + UUID.randomUUID().toString().substring(0, 8)).step("echo").build();

        assertEquals(PipelineDefinitionStore.Put.CREATED, store.putDefinition(first, clock.instant()));
        assertEquals(Optional.of(first), store.definition(first.name()));
        assertEquals(PipelineDefinitionStore.Put.REPLACED, store.putDefinition(first, clock.instant()), "an unchanged put replaces it as it was");
        assertEquals(Optional.of(first), store.definition(first.name()));
        assertEquals(PipelineDefinitionStore.Put.REPLACED, store.putDefinition(changed, clock.instant()));
        assertEquals(Optional.of(changed), store.definition(first.name()));
        assertEquals(PipelineDefinitionStore.Put.CREATED, store.putDefinition(other, clock.instant()));
        assertEquals(List.of(other, changed), store.definitions(), "by name");

        assertTrue(store.deleteDefinition(first.name()));
        assertFalse(store.deleteDefinition(first.name()), "nothing left to delete");
        assertEquals(Optional.empty(), store.definition(first.name()));
        assertEquals(List.of(other), store.definitions());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRunKeepsTheDefinitionItStartedWithWhenThePipelineIsReplacedOrDeleted(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline before = pipeline("fetch", "ship");
        stores.definitions().putDefinition(before, clock.instant());
        PipelineRun run = start(stores, before);

        stores.definitions().putDefinition(new Pipeline(before.name(), List.of(PipelineStep.of("other"))), clock.instant());
        assertEquals(before, stores.queries().find(run.id()).orElseThrow().definition());
        stores.definitions().deleteDefinition(before.name());
        assertEquals(before, stores.queries().find(run.id()).orElseThrow().definition());
    }

    // --- starting a run ----------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void aStartedRunIsRunningAtItsFirstStepWithItsDeadline(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("fetch", "ship");
        Instant now = clock.instant();

        PipelineRun run = start(stores, pipeline, "http:alice", "k-1", now.plus(DEADLINE), now);

        assertEquals(run, stores.queries().find(run.id()).orElseThrow());
        assertEquals(PipelineRunState.RUNNING, run.state());
        assertEquals(pipeline, run.definition());
        assertEquals(pipeline.name(), run.pipeline());
        assertEquals(0, run.step());
        assertEquals(0, run.attempt());
        assertEquals("{\"n\":1}", run.payload());
        assertEquals("k-1", run.idempotencyKey());
        assertEquals(now.plus(DEADLINE), run.stepDeadline());
        assertEquals(now, run.checkedAt());
        assertEquals(now, run.createdAt());
        assertEquals(null, run.finishedAt());
        assertEquals(null, run.undoList());
        assertFalse(run.cancelRequested());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRunsKeyIsFoundInItsCallersScopeOnlyAndAnotherCallerMayUseIt(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("echo");
        String key = UUID.randomUUID().toString();
        Instant now = clock.instant();

        PipelineRun alices = start(stores, pipeline, "http:alice", key, null, now);
        PipelineRun bobs = start(stores, pipeline, "http:bob", key, null, now);

        assertEquals(alices.id(), stores.queries().byIdempotencyKey("http:alice", key).orElseThrow().id());
        assertEquals(bobs.id(), stores.queries().byIdempotencyKey("http:bob", key).orElseThrow().id());
        assertEquals(bobs.id(), stores.database().withConnection(c -> stores.runs().byIdempotencyKey(c, "http:bob", key)).orElseThrow().id());
        assertTrue(stores.queries().byIdempotencyKey("jms:alice", key).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSameCallersKeyCannotStartASecondRun(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("echo");
        String key = UUID.randomUUID().toString();
        Instant now = clock.instant();

        SQLException twice = assertThrows(SQLException.class, () -> stores.database().inTransaction(tx -> {
            stores.runs().insertRun(tx.connection(), UUID.randomUUID().toString(), pipeline, "1", "http:alice", key, null, now);
            stores.runs().insertRun(tx.connection(), UUID.randomUUID().toString(), pipeline, "1", "http:alice", key, null, now);
            tx.commit();
            return null;
        }));
        assertTrue(Database.isUniqueViolation(twice), twice.toString());
        assertTrue(stores.queries().byIdempotencyKey("http:alice", key).isEmpty(), "neither run was kept");
    }

    /**
     * Two starts with one key at the same moment: the second waits for the first's transaction,
     * then breaks the key, and the run its caller is answered with is the first.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aSecondStartWithTheSameKeyWaitsForTheFirstAndFindsTheFirstRun(String database) throws Exception {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("echo");
        String key = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SQLException> second = stores.database().inTransaction(tx -> {
                stores.runs().insertRun(tx.connection(), first, pipeline, "1", "http:alice", key, null, now);
                Future<SQLException> racing = pool.submit(() -> assertThrows(SQLException.class, () -> start(stores, pipeline, "http:alice", key, null, now)));
                awaitWaiterBehind(database, tx.connection());
                tx.commit();
                return racing;
            });
            assertTrue(Database.isUniqueViolation(second.get()), second.get().toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(first, stores.queries().byIdempotencyKey("http:alice", key).orElseThrow().id());
        assertEquals(1, stores.queries().list(pipeline.name(), null, 10, null).size());
    }

    // --- the runs' jobs ----------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void aRunsJobsComeBackInTheOrderOfStepAttemptAndBranchWithTheirJobsState(String database) throws SQLException {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch", "ship"));
        // step, attempt, branch, written out of order
        int[][] links = {{1, 0, 0}, {0, 1, 0}, {0, 0, 2}, {0, 0, 0}, {0, 0, 1}};
        List<String> jobIds = new ArrayList<>();
        move(stores, c -> {
            for (int[] link : links) {
                String jobId = stores.jobs().recorder().insertNew(c, stepJob("fetch", "{\"b\":" + link[2] + "}"));
                stores.links().linkJob(c, jobId, run.id(), link[0], link[2], link[1], null);
                jobIds.add(jobId);
            }
            return null;
        });

        List<StepJob> jobs = stores.links().stepJobs(run.id());

        assertEquals(List.of("0.0.0", "0.0.1", "0.0.2", "0.1.0", "1.0.0"),
                jobs.stream().map(j -> j.step() + "." + j.attempt() + "." + j.branch()).toList());
        assertEquals(List.of(jobIds.get(3), jobIds.get(4), jobIds.get(2), jobIds.get(1), jobIds.get(0)), jobs.stream().map(StepJob::jobId).toList());
        assertTrue(jobs.stream().allMatch(j -> j.state() == JobState.QUEUED && !j.isCompensation()), jobs.toString());
        assertEquals("{\"b\":2}", jobs.get(2).payload());
        assertEquals(jobs, stores.database().withConnection(c -> stores.links().stepJobs(c, run.id())));
        assertEquals(Optional.of(run.id()), stores.links().runOf(jobIds.get(0)));
        assertEquals(Optional.empty(), stores.links().runOf(UUID.randomUUID().toString()));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aCompensationIsLinkedToTheJobItUndoesAndALinkWhoseJobIsGoneIsLeftOut(String database) throws SQLException {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));
        String pruned = UUID.randomUUID().toString();
        String[] ids = new String[2];
        move(stores, c -> {
            ids[0] = stores.jobs().recorder().insertNew(c, stepJob("fetch", "1"));
            stores.links().linkJob(c, ids[0], run.id(), 0, 0, 0, null);
            stores.links().linkJob(c, pruned, run.id(), 0, 1, 0, null);
            ids[1] = stores.jobs().recorder().insertNew(c, stepJob("unfetch", "1"));
            stores.links().linkJob(c, ids[1], run.id(), 0, 0, 0, ids[0]);
            return null;
        });

        List<StepJob> jobs = stores.links().stepJobs(run.id());

        assertEquals(2, jobs.size(), jobs.toString());
        StepJob undo = jobs.stream().filter(StepJob::isCompensation).findFirst().orElseThrow();
        assertEquals(ids[1], undo.jobId());
        assertEquals(ids[0], undo.undoes());
        assertEquals(Optional.of(run.id()), stores.links().runOf(pruned), "the link stays; only its job is gone");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStepFannedOutWiderThanOneReadComesBackWhole(String database) throws SQLException {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));
        int branches = 250; // more than the 200 jobs read per statement
        move(stores, c -> {
            for (int branch = 0; branch < branches; branch++) {
                stores.links().linkJob(c, stores.jobs().recorder().insertNew(c, stepJob("fetch", "" + branch)), run.id(), 0, branch, 0, null);
            }
            return null;
        });

        List<StepJob> jobs = stores.links().stepJobs(run.id());

        assertEquals(IntStream.range(0, branches).boxed().toList(), jobs.stream().map(StepJob::branch).toList());
        assertEquals(IntStream.range(0, branches).mapToObj(String::valueOf).toList(), jobs.stream().map(StepJob::payload).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStartRolledBackLeavesNoRunNoJobAndNoLink(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("fetch");
        String runId = UUID.randomUUID().toString();
        String[] jobId = new String[1];
        Instant now = clock.instant();

        stores.database().inTransaction(tx -> {
            stores.runs().insertRun(tx.connection(), runId, pipeline, "1", null, null, now.plus(DEADLINE), now);
            jobId[0] = stores.jobs().recorder().insertNew(tx.connection(), stepJob("fetch", "1"));
            stores.links().linkJob(tx.connection(), jobId[0], runId, 0, 0, 0, null);
            assertEquals(1, stores.links().stepJobs(tx.connection(), runId).size(), "seen inside the transaction");
            tx.rollback();
            return null;
        });

        assertEquals(Optional.empty(), stores.queries().find(runId));
        assertEquals(Optional.empty(), stores.links().runOf(jobId[0]));
        assertEquals(Optional.empty(), stores.jobs().queries().find(jobId[0]));
    }

    // --- moves and their guards --------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void aRunMovesThroughItsStepsIntoUnwindingAndEndsKeepingItsReason(String database) throws SQLException {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch", "ship"));
        Instant t1 = clock.instant().plusSeconds(10);

        PipelineRun locked = move(stores, c -> {
            PipelineRun seen = stores.runs().lockActive(c, run.id(), t1).orElseThrow();
            stores.runs().startedStep(c, run.id(), 1, 0, t1.plus(DEADLINE), t1);
            return seen;
        });
        assertEquals(t1, locked.checkedAt());
        PipelineRun atShip = stores.queries().find(run.id()).orElseThrow();
        assertEquals(1, atShip.step());
        assertEquals(t1.plus(DEADLINE), atShip.stepDeadline());
        assertEquals(t1, atShip.updatedAt());

        Instant t2 = t1.plusSeconds(10);
        move(stores, c -> {
            stores.runs().startedStep(c, run.id(), 1, 1, t2.plus(DEADLINE), t2);
            stores.runs().unwinding(c, run.id(), "e".repeat(5000), "s".repeat(150), t2);
            return null;
        });
        PipelineRun unwinding = stores.queries().find(run.id()).orElseThrow();
        assertEquals(PipelineRunState.COMPENSATING, unwinding.state());
        assertEquals(1, unwinding.attempt());
        assertEquals(PipelineRunStore.MAX_ERROR_LENGTH, unwinding.error().length());
        assertEquals(PipelineRunStore.MAX_STEP_NAME_LENGTH, unwinding.failedStep().length());

        Instant t3 = t2.plusSeconds(10);
        move(stores, c -> {
            stores.runs().compensating(c, run.id(), List.of("job-b", "job-a"), 1, t3);
            return null;
        });
        PipelineRun compensating = stores.queries().find(run.id()).orElseThrow();
        assertEquals(List.of("job-b", "job-a"), compensating.undoList());
        assertEquals(1, compensating.undoNext());

        move(stores, c -> {
            stores.runs().ended(c, run.id(), PipelineRunState.COMPENSATED, null, null, t3);
            return null;
        });
        PipelineRun ended = stores.queries().find(run.id()).orElseThrow();
        assertEquals(PipelineRunState.COMPENSATED, ended.state());
        assertEquals(unwinding.error(), ended.error(), "an end without an error keeps the run's");
        assertEquals(unwinding.failedStep(), ended.failedStep());
        assertEquals(t3, ended.finishedAt());
        assertEquals(Optional.empty(), move(stores, c -> stores.runs().lockActive(c, run.id(), t3)), "an ended run is not moved again");
        assertEquals(Optional.empty(), move(stores, c -> stores.runs().lockActive(c, UUID.randomUUID().toString(), t3)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSucceededRunKeepsItsResultAndAMoveOfARunThatIsGoneFails(String database) throws SQLException {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));
        Instant t = clock.instant().plusSeconds(5);

        move(stores, c -> {
            stores.runs().succeeded(c, run.id(), "{\"ok\":true}", t);
            return null;
        });

        PipelineRun succeeded = stores.queries().find(run.id()).orElseThrow();
        assertEquals(PipelineRunState.SUCCEEDED, succeeded.state());
        assertEquals("{\"ok\":true}", succeeded.result());
        assertEquals(t, succeeded.finishedAt());
        SQLException vanished = assertThrows(SQLException.class, () -> move(stores, c -> {
            stores.runs().startedStep(c, UUID.randomUUID().toString(), 1, 0, t, t);
            return null;
        }));
        assertTrue(vanished.getMessage().contains("vanished"), vanished.getMessage());
    }

    /** While one move holds a run, a second waits; once the first ended the run, the second finds nothing to move. */
    @ParameterizedTest
    @MethodSource("databases")
    void aSecondMoveWaitsForTheRunsLockAndFindsItEnded(String database) throws Exception {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));
        Instant t = clock.instant().plusSeconds(5);

        Optional<PipelineRun> second = whileHeld(stores, database, run.id(), PipelineRunState.CANCELLED,
                () -> move(stores, c -> stores.runs().lockActive(c, run.id(), t)));

        assertEquals(Optional.empty(), second);
        assertEquals(PipelineRunState.CANCELLED, stores.queries().find(run.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aCancelRequestWaitsForAMoveAndLosesToTheEndItMade(String database) throws Exception {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));

        boolean requested = whileHeld(stores, database, run.id(), PipelineRunState.SUCCEEDED,
                () -> stores.runs().requestCancel(run.id(), clock.instant()));

        assertFalse(requested);
        assertFalse(stores.queries().find(run.id()).orElseThrow().cancelRequested());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void ofEightCancelRequestsAtOnceOneIsTakenAndOnlyARunningRunTakesOne(String database) throws Exception {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> requests = IntStream.range(0, 8).mapToObj(i -> pool.submit((Callable<Boolean>) () -> {
                go.await();
                return stores.runs().requestCancel(run.id(), clock.instant());
            })).toList();
            go.countDown();
            int taken = 0;
            for (Future<Boolean> request : requests) {
                taken += request.get() ? 1 : 0;
            }
            assertEquals(1, taken);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clock.instant(), stores.queries().find(run.id()).orElseThrow().cancelRequestedAt());

        PipelineRun unwinding = start(stores, pipeline("fetch"));
        move(stores, c -> {
            stores.runs().unwinding(c, unwinding.id(), "boom", "fetch", clock.instant());
            return null;
        });
        assertFalse(stores.runs().requestCancel(unwinding.id(), clock.instant()), "a run unwinding is past cancelling");
        assertFalse(stores.runs().requestCancel(UUID.randomUUID().toString(), clock.instant()));
    }

    /**
     * Holds the run's lock in a move, runs the second piece of work beside it until it waits for
     * that lock, then ends the run and commits.
     *
     * @return what the second work found
     */
    private <T> T whileHeld(Stores stores, String database, String runId, PipelineRunState end, Callable<T> second) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<T> beside = stores.database().inTransaction(tx -> {
                Connection c = tx.connection();
                assertTrue(stores.runs().lockActive(c, runId, clock.instant()).isPresent());
                Future<T> waiting = pool.submit(second);
                awaitWaiterBehind(database, c);
                assertFalse(waiting.isDone(), "the second waits for the lock");
                if (end == PipelineRunState.SUCCEEDED) {
                    stores.runs().succeeded(c, runId, "null", clock.instant());
                } else {
                    stores.runs().ended(c, runId, end, null, null, clock.instant());
                }
                tx.commit();
                return waiting;
            });
            return beside.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until another transaction waits for a lock that this connection's transaction holds. */
    private void awaitWaiterBehind(String database, Connection holder) throws SQLException {
        if (database.equals("derby")) {
            // The in-memory database is this class's own: any lock waited for is the holder's.
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM SYSCS_DIAG.LOCK_TABLE WHERE STATE = 'WAIT'", null) > 0);
            return;
        }
        int pid;
        try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", pid) > 0);
    }

    private int count(String sql, Integer pid) throws SQLException {
        try (Connection c = db.get(pid == null ? "derby" : "postgresql").getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (pid != null) {
                s.setInt(1, pid);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    // --- the supervisor's reads, lists and deletion ------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void dueAreTheRunningRunsPastTheirDeadlineAndTheRunsNotLookedAtLongestFirstAndStuckThoseThatHaveNotMoved(String database)
            throws SQLException {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("fetch");
        Instant t0 = clock.instant();
        PipelineRun lookedAtLongAgo = start(stores, pipeline, null, null, t0.plus(Duration.ofHours(1)), t0.minus(Duration.ofHours(1)));
        PipelineRun pastDeadline = start(stores, pipeline, null, null, t0.minus(Duration.ofMinutes(1)), t0.minus(Duration.ofMinutes(10)));
        start(stores, pipeline, null, null, t0.plus(Duration.ofHours(1)), t0.minus(Duration.ofMinutes(1)));
        PipelineRun unwindingPastDeadline = start(stores, pipeline, null, null, t0.minus(Duration.ofSeconds(30)), t0.minus(Duration.ofMinutes(1)));
        PipelineRun ended = start(stores, pipeline, null, null, t0.minus(Duration.ofHours(1)), t0.minus(Duration.ofHours(2)));
        move(stores, c -> {
            stores.runs().unwinding(c, unwindingPastDeadline.id(), "boom", "fetch", t0.minus(Duration.ofMinutes(1)));
            stores.runs().ended(c, ended.id(), PipelineRunState.CANCELLED, null, null, t0.minus(Duration.ofHours(2)));
            return null;
        });
        Instant checkedBefore = t0.minus(Duration.ofMinutes(5));

        assertEquals(List.of(lookedAtLongAgo.id(), pastDeadline.id()), stores.queries().due(t0, checkedBefore, 10));
        assertEquals(List.of(lookedAtLongAgo.id()), stores.queries().due(t0, checkedBefore, 1));
        assertEquals(List.of(lookedAtLongAgo.id(), pastDeadline.id()), stores.queries().stuck(checkedBefore, 10).stream().map(PipelineRun::id).toList());

        move(stores, c -> stores.runs().lockActive(c, lookedAtLongAgo.id(), t0));
        assertEquals(List.of(pastDeadline.id()), stores.queries().due(t0, checkedBefore, 10), "looked at now; the deadline keeps the other due");
        assertEquals(List.of(lookedAtLongAgo.id(), pastDeadline.id()), stores.queries().stuck(checkedBefore, 10).stream().map(PipelineRun::id).toList(),
                "a look is no move");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void runsAreListedNewestFirstByPipelineAndStateAPageAtATime(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline p = pipeline("fetch");
        Pipeline q = pipeline("fetch");
        PipelineRun p1 = start(stores, p);
        PipelineRun p2 = start(stores, p);
        PipelineRun p3 = start(stores, p);
        PipelineRun q1 = start(stores, q);
        move(stores, c -> {
            stores.runs().succeeded(c, p2.id(), "null", clock.instant());
            return null;
        });

        assertEquals(ids(p3, p2, p1), ids(stores.queries().list(p.name(), null, 10, null)));
        assertEquals(ids(p2), ids(stores.queries().list(p.name(), PipelineRunState.SUCCEEDED, 10, null)));
        assertEquals(ids(q1, p3, p1), ids(stores.queries().list(null, PipelineRunState.RUNNING, 10, null)));
        assertEquals(ids(q1, p3, p2, p1), ids(stores.queries().list(null, null, 10, null)));
        List<PipelineRun> firstPage = stores.queries().list(p.name(), null, 2, null);
        assertEquals(ids(p3, p2), ids(firstPage));
        assertEquals(ids(p1), ids(stores.queries().list(p.name(), null, 2, firstPage.get(1).seq())));
        assertEquals(List.of(), stores.queries().list(q.name(), PipelineRunState.SUCCEEDED, 10, null));
    }

    private static List<String> ids(PipelineRun... runs) {
        return List.of(runs).stream().map(PipelineRun::id).toList();
    }

    private static List<String> ids(List<PipelineRun> runs) {
        return runs.stream().map(PipelineRun::id).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void endedRunsAreDeletedWithTheirLinksAfterTheirRetentionAndFailedCompensationsAreKeptLonger(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline pipeline = pipeline("fetch");
        Instant t0 = clock.instant();
        PipelineRun oldSucceeded = start(stores, pipeline);
        PipelineRun oldFailed = start(stores, pipeline);
        PipelineRun recent = start(stores, pipeline);
        PipelineRun running = start(stores, pipeline);
        String[] job = new String[1];
        move(stores, c -> {
            job[0] = stores.jobs().recorder().insertNew(c, stepJob("fetch", "1"));
            stores.links().linkJob(c, job[0], oldSucceeded.id(), 0, 0, 0, null);
            stores.runs().succeeded(c, oldSucceeded.id(), "null", t0.minus(Duration.ofDays(10)));
            stores.runs().ended(c, oldFailed.id(), PipelineRunState.COMPENSATION_FAILED, "undo died", "fetch", t0.minus(Duration.ofDays(10)));
            stores.runs().ended(c, recent.id(), PipelineRunState.COMPENSATED, "boom", "fetch", t0.minus(Duration.ofDays(1)));
            return null;
        });

        assertEquals(1, stores.runs().deleteEnded(t0.minus(Duration.ofDays(7)), t0.minus(Duration.ofDays(30)), 10));
        assertEquals(Optional.empty(), stores.queries().find(oldSucceeded.id()));
        assertEquals(Optional.empty(), stores.links().runOf(job[0]), "its links go with it");
        assertEquals(JobState.QUEUED, stores.jobs().queries().find(job[0]).orElseThrow().state(), "its jobs stay for the jobs' retention");
        assertEquals(ids(running, recent, oldFailed), ids(stores.queries().list(pipeline.name(), null, 10, null)));

        assertEquals(1, stores.runs().deleteEnded(t0.minus(Duration.ofDays(7)), t0.minus(Duration.ofDays(5)), 10));
        assertEquals(ids(running, recent), ids(stores.queries().list(pipeline.name(), null, 10, null)));
        assertEquals(1, stores.runs().deleteEnded(t0, t0, 1));
        assertEquals(0, stores.runs().deleteEnded(t0, t0, 1), "a running run is never deleted");
        assertEquals(ids(running), ids(stores.queries().list(pipeline.name(), null, 10, null)));
    }

    // --- the parsed definitions --------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void runsOfOneDefinitionShareItsParseAndTheParsesKeptAreBounded(String database) throws SQLException {
        Stores stores = stores(database);
        Pipeline shared = pipeline("fetch", "ship");
        PipelineRun a = start(stores, shared);
        PipelineRun b = start(stores, shared);
        assertSame(stores.queries().find(a.id()).orElseThrow().definition(), stores.queries().find(b.id()).orElseThrow().definition());

        int versions = 300; // more than the 256 parses kept
        move(stores, c -> {
            for (int i = 0; i < versions; i++) {
                stores.runs().insertRun(c, UUID.randomUUID().toString(), pipeline("t" + i), "1", null, null, clock.instant(), clock.instant());
            }
            return null;
        });
        List<PipelineRun> all = stores.queries().list(null, null, versions + 2, null);

        assertEquals(versions + 2, all.size());
        assertEquals(IntStream.range(0, versions).mapToObj(i -> "t" + (versions - 1 - i)).toList(),
                all.subList(0, versions).stream().map(run -> run.definition().steps().get(0).type()).toList(), "newest first");
        assertTrue(all.stream().allMatch(run -> run.pipeline().equals(run.definition().name())));
        assertTrue(stores.rows().parsedDefinitions() <= 256, "kept: " + stores.rows().parsedDefinitions());
        assertEquals(shared, stores.queries().find(a.id()).orElseThrow().definition(), "read again after the parses were dropped");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRunWhoseStoredDefinitionCannotBeReadIsAStoreErrorNamingTheRun(String database) throws SQLException {
        Stores stores = stores(database);
        PipelineRun run = start(stores, pipeline("fetch"));
        try (Connection c = db.get(database).getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE worker_pipeline_run SET definition = ? WHERE id = ?")) {
            s.setString(1, "{\"steps\": 5}");
            s.setString(2, run.id());
            assertEquals(1, s.executeUpdate());
        }

        StoreException e = assertThrows(StoreException.class, () -> stores.queries().find(run.id()));
        assertTrue(e.getCause().getMessage().contains("pipeline run " + run.id() + " holds a definition that cannot be read"),
                e.getCause().getMessage());
    }
}
