package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobFilter;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.Transition;
import io.workerrole.platform.Database;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.security.IdempotencyScope;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job store's SQL on both databases it supports: embedded Derby and the PostgreSQL on
 * 127.0.0.1:5432 (database test, in a schema of its own that is dropped afterwards). The schema
 * comes from the same Flyway migrations the worker runs.
 */
class JobStoreIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    JobStoreIT() {
        super("worker-store-it");
    }

    private JobStores store(String database) throws SQLException {
        JobStores store = JobStores.on(db.get(database), clock);
        assertEquals(database, store.dialect().name().toLowerCase());
        return store;
    }

    private static NewJob job(String type, int priority, String key) {
        return new NewJob(new JobRequest(type, "{\"n\":1}", key, null, null, null, null, false), JobSource.HTTP,
                priority, 3, null, null, null, null);
    }

    private static String uniqueType() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobIsRecordedQueuedWithItsHistory(String database) throws SQLException {
        JobStores store = store(database);
        Acceptance accepted = store.recorder().insert(job(uniqueType(), 4, null));

        assertFalse(accepted.duplicate());
        Job found = store.queries().find(accepted.job().id()).orElseThrow();
        assertEquals(JobState.QUEUED, found.state());
        assertEquals("{\"n\":1}", found.payload());
        assertEquals(List.of(JobState.QUEUED), store.queries().history(found.id()).stream().map(Transition::state).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theBacklogCountsWaitingJobsByStateAndKnowsTheOldestQueued(String database) throws SQLException {
        JobStores store = store(database);
        Backlog before = store.queries().backlog();
        List<Acceptance> queued = IntStream.range(0, 3).mapToObj(i -> store.recorder().insert(job(uniqueType(), 4, null))).toList();

        Backlog after = store.queries().backlog();
        assertEquals(before.count(JobState.QUEUED) + 3, after.count(JobState.QUEUED));
        assertEquals(before.count(JobState.RUNNING), after.count(JobState.RUNNING));
        assertEquals(0, after.count(JobState.SUCCEEDED), "finished jobs, the bulk of a store, are not counted");
        assertTrue(!after.oldestQueued().isAfter(queued.get(0).job().runAfter()), "the oldest queued job is at least as old as ours");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSecondJobWithTheSameIdempotencyKeyIsTheFirstOne(String database) throws SQLException {
        JobStores store = store(database);
        String key = UUID.randomUUID().toString();
        Acceptance first = store.recorder().insert(job(uniqueType(), 4, key));
        Acceptance second = store.recorder().insert(job(uniqueType(), 4, key));

        assertTrue(second.duplicate());
        assertEquals(first.job().id(), second.job().id());
    }

    /** A job whose key is this caller's (see IdempotencyScope). */
    private static NewJob jobOf(String scope, String type, String key) {
        return new NewJob(new JobRequest(type, "{\"n\":1}", key, null, null, null, null, false), JobSource.HTTP,
                4, 3, null, null, null, null, scope);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anotherCallersKeyIsAnotherJobAloneAndInABatchAndTheListingByKeyFindsEach(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        String key = UUID.randomUUID().toString();
        Acceptance alices = store.recorder().insert(jobOf("http:alice", type, key));
        Acceptance bobs = store.recorder().insert(jobOf("http:bob", type, key));

        List<Acceptance> batch = store.recorder().insertAll(List.of(jobOf("jms:alice", type, key), jobOf("http:alice", type, key)));

        assertFalse(bobs.duplicate());
        assertNotEquals(alices.job().id(), bobs.job().id());
        assertEquals(List.of(false, true), batch.stream().map(Acceptance::duplicate).toList(),
                "alice over JMS is another caller; alice over HTTP again is a duplicate");
        assertEquals(alices.job().id(), batch.get(1).job().id());
        assertEquals(3, listAll(store, type).size());
        assertEquals(3, store.queries().list(new JobFilter(null, null, key), 10, null).size(), "a viewer finds every caller's job of the key");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLongestKeyInTheLongestScopeIsKeptAndFound(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        // Three bytes each in UTF-8: the widest index entry the columns allow.
        String key = "\u20ac".repeat(200);
        String scope = IdempotencyScope.of("http", "\u20ac".repeat(IdempotencyScope.MAX_LENGTH - "http:".length()));
        assertEquals(IdempotencyScope.MAX_LENGTH, scope.length());

        Acceptance first = store.recorder().insert(jobOf(scope, type, key));
        Acceptance again = store.recorder().insert(jobOf(scope, type, key));

        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.job().id(), again.job().id());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRedeliveredMessageIsRecognisedByItsMessageId(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        NewJob message = new NewJob(new JobRequest(type, "1", null, null, null, null, null, false), JobSource.JMS, 4, 3,
                "ID:" + UUID.randomUUID(), "c", null, clock.instant());
        Acceptance first = store.recorder().insert(message);
        Acceptance again = store.recorder().insert(message);

        assertTrue(again.duplicate());
        assertEquals(first.job().id(), again.job().id());
        assertEquals(1, store.queries().list(JobFilter.ofType(type), 10, null).size());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimsTakeHighestPriorityFirstThenOldest(String database) throws SQLException {
        JobStores store = store(database);
        drain(store);
        String type = uniqueType();
        String low = store.recorder().insert(job(type, 1, null)).job().id();
        String highOld = store.recorder().insert(job(type, 9, null)).job().id();
        String highNew = store.recorder().insert(job(type, 9, null)).job().id();

        List<Job> claimed = store.claimAny(3, "me", LEASE);

        assertEquals(List.of(highOld, highNew, low), claimed.stream().map(Job::id).toList());
        assertTrue(claimed.stream().allMatch(j -> j.state() == JobState.RUNNING && "me".equals(j.owner()) && j.attempts() == 1));
    }

    /** Drains what earlier tests left, then queues one job: the next claim takes it. */
    private Job theOnlyQueuedJob(JobStores store) {
        drain(store);
        return store.recorder().insert(job(uniqueType(), 4, null)).job();
    }

    /** Claims every runnable job that earlier tests left, so that a test claims only its own. */
    private void drain(JobStores store) {
        store.claimAny(10_000, "drain-" + UUID.randomUUID(), LEASE);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimsTakeOnlyTheTypesTheyAreGivenInPriorityOrderAcrossThem(String database) throws SQLException {
        JobStores store = store(database);
        drain(store);
        String elsewhere = uniqueType();
        String mine = uniqueType();
        String alsoMine = uniqueType();
        store.recorder().insert(job(elsewhere, 9, null));
        String low = store.recorder().insert(job(mine, 1, null)).job().id();
        String high = store.recorder().insert(job(alsoMine, 7, null)).job().id();

        List<Job> claimed = store.claims().claim(5, Set.of(mine, alsoMine), "me", LEASE);

        assertEquals(List.of(high, low), claimed.stream().map(Job::id).toList());
        assertEquals(Set.of(elsewhere), store.queuedTypes(), "the job of a type not given waits for a server that runs it");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aClaimOfNoTypeTakesNothing(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);

        assertEquals(List.of(), store.claims().claim(5, Set.of(), "me", LEASE));
        assertEquals(JobState.QUEUED, store.queries().find(job.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void competingServersNeverClaimTheSameJob(String database) throws Exception {
        JobStores store = store(database);
        drain(store);
        String type = uniqueType();
        IntStream.range(0, 200).forEach(i -> store.recorder().insert(job(type, 4, null)));

        ExecutorService servers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<String>>> claims = new ArrayList<>();
            for (int server = 0; server < 4; server++) {
                String owner = "server-" + server;
                claims.add(CompletableFuture.supplyAsync(() -> {
                    List<String> mine = new ArrayList<>();
                    List<Job> batch;
                    do {
                        batch = store.claimAny(7, owner, LEASE);
                        batch.forEach(j -> mine.add(j.id()));
                    } while (!batch.isEmpty());
                    return mine;
                }, servers));
            }
            List<String> all = new ArrayList<>();
            for (CompletableFuture<List<String>> claim : claims) {
                all.addAll(claim.get());
            }
            assertEquals(200, all.size(), "every job claimed");
            assertEquals(200, new HashSet<>(all).size(), "no job claimed twice");
        } finally {
            servers.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void manyThreadsRecordingAtOnceEachGetTheirOwnJobAndDuplicatesTheFirst(String database) throws Exception {
        JobStores store = store(database);
        String type = uniqueType();
        String run = UUID.randomUUID().toString();
        ExecutorService producers = Executors.newFixedThreadPool(8);
        try {
            // 8 threads x 40 jobs; keys 0..159 are each sent twice (by two threads), so that
            // duplicates meet in the same group commit as often as not.
            List<CompletableFuture<List<Acceptance>>> sent = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int first = (thread % 4) * 40;
                sent.add(CompletableFuture.supplyAsync(() -> IntStream.range(first, first + 40)
                        .mapToObj(i -> store.recorder().insert(job(type, 4, run + "-" + i))).toList(), producers));
            }
            Map<String, Set<String>> idsByKey = new HashMap<>();
            int duplicates = 0;
            for (CompletableFuture<List<Acceptance>> thread : sent) {
                for (Acceptance acceptance : thread.get()) {
                    idsByKey.computeIfAbsent(acceptance.job().idempotencyKey(), k -> new HashSet<>()).add(acceptance.job().id());
                    duplicates += acceptance.duplicate() ? 1 : 0;
                }
            }
            assertEquals(160, idsByKey.size(), "every key answered");
            assertTrue(idsByKey.values().stream().allMatch(ids -> ids.size() == 1), "both senders of a key got the same job");
            assertEquals(160, duplicates, "one of each pair was told it is a duplicate");
            List<Job> recorded = listAll(store, type);
            assertEquals(160, recorded.size());
            for (Job job : recorded) {
                assertEquals(List.of(JobState.QUEUED), store.queries().history(job.id()).stream().map(Transition::state).toList());
            }
        } finally {
            producers.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBatchIsRecordedTogetherAndADuplicateInItIsAnsweredWithTheFirst(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        String key = UUID.randomUUID().toString();
        Acceptance earlier = store.recorder().insert(job(type, 4, key));

        List<Acceptance> batch = store.recorder().insertAll(List.of(job(type, 4, null), job(type, 4, key), job(type, 7, null)));

        assertEquals(3, batch.size());
        assertEquals(List.of(false, true, false), batch.stream().map(Acceptance::duplicate).toList());
        assertEquals(earlier.job().id(), batch.get(1).job().id());
        assertEquals(7, batch.get(2).job().priority(), "each result is its own job's, in order");
        assertEquals(3, listAll(store, type).size());
    }

    private static List<Job> listAll(JobStores store, String type) {
        List<Job> all = new ArrayList<>();
        List<Job> page;
        Long before = null;
        do {
            page = store.queries().list(JobFilter.ofType(type), 100, before);
            all.addAll(page);
            before = page.isEmpty() ? null : page.get(page.size() - 1).seq();
        } while (page.size() == 100);
        return all;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlyTheOwnerMayRecordTheOutcome(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        Job running = store.claimAny(1, "owner-a", LEASE).get(0);
        assertEquals(job.id(), running.id());

        assertFalse(store.outcomes().succeed(running, "owner-b", "\"stolen\""), "another server cannot finish it");
        assertTrue(store.outcomes().succeed(running, "owner-a", "\"done\""));
        Job done = store.queries().find(job.id()).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals("\"done\"", done.result());
        assertEquals(100, done.progress());
        assertEquals(List.of(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED),
                store.queries().history(job.id()).stream().map(Transition::state).toList());
    }

    /*
     * A server that lost its presence in the job store (its session ended, its jobs taken over)
     * may claim the same job again once it is back: the same owner, a new attempt. What its first
     * attempt still writes lands nowhere.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void anAttemptTakenOverRecordsNothingEvenWhenItsJobRunsAgainOnTheSameServer(String database) throws SQLException {
        JobStores store = store(database);
        String me = "comes-back-" + UUID.randomUUID();
        Job job = theOnlyQueuedJob(store);
        Job first = store.claimAny(1, me, LEASE).get(0);
        store.outcomes().saveCheckpoint(first, me, "{\"step\":2}");
        store.leases().recover(me); // taken over
        Job second = store.claimAny(1, me, LEASE).get(0);
        assertEquals(List.of(job.id(), 2), List.of(second.id(), second.attempts()));

        assertThrows(StoreException.class, () -> store.outcomes().saveCheckpoint(first, me, "{\"step\":9}"));
        assertThrows(StoreException.class, () -> store.outcomes().saveProgress(first, me, 90));
        assertFalse(store.outcomes().succeed(first, me, "\"first\""), "the first attempt's outcome");
        assertFalse(store.outcomes().release(first, me), "nor its hand-back");
        Job meanwhile = store.queries().find(job.id()).orElseThrow();
        assertEquals(List.of(JobState.RUNNING, 2, "{\"step\":2}"), List.of(meanwhile.state(), meanwhile.attempts(), meanwhile.checkpoint()));

        assertTrue(store.outcomes().succeed(second, me, "\"second\""));
        assertEquals("\"second\"", store.queries().find(job.id()).orElseThrow().result());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailedJobWaitsForItsNextAttemptTime(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        Job running = store.claimAny(1, "me", LEASE).get(0);
        store.outcomes().retryLater(running, "me", "boom", clock.instant().plusSeconds(10));

        assertEquals(JobState.FAILED, store.queries().find(job.id()).orElseThrow().state());
        assertEquals(0, store.claims().queueDueJobs());
        assertTrue(store.claimAny(5, "me", LEASE).isEmpty(), "not before its next attempt time");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, store.claims().queueDueJobs());
        Job again = store.claimAny(5, "me", LEASE).get(0);
        assertEquals(job.id(), again.id());
        assertEquals(2, again.attempts());
        assertEquals(null, again.error(), "the error is cleared when it runs again");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aScheduledJobWaitsForItsRunTimeAndThenRunsLikeAnyOther(String database) throws SQLException {
        JobStores store = store(database);
        drain(store);
        Instant runAt = clock.instant().plusSeconds(30);
        NewJob later = new NewJob(new JobRequest(uniqueType(), "1", null, null, null, null, null, false, runAt),
                JobSource.HTTP, 4, 3, null, null, null, null);
        Job job = store.recorder().insert(later).job();

        assertEquals(JobState.SCHEDULED, job.state());
        assertEquals(runAt, job.runAfter());
        store.claims().queueDueJobs();
        assertTrue(store.claimAny(5, "me", LEASE).isEmpty(), "not before its run time");
        clock.advance(Duration.ofSeconds(30));
        store.claims().queueDueJobs();
        Job running = store.claimAny(5, "me", LEASE).get(0);

        assertEquals(job.id(), running.id());
        assertEquals(1, running.attempts());
        assertEquals(List.of(JobState.SCHEDULED, JobState.QUEUED, JobState.RUNNING),
                store.queries().history(job.id()).stream().map(Transition::state).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aWaitingJobIsCancelledAtOnceARunningOneIsAskedAndAFinishedOneStays(String database) throws SQLException {
        JobStores store = store(database);
        Job waiting = store.recorder().insert(new NewJob(new JobRequest(uniqueType(), "1", null, null, null, null, null, false,
                clock.instant().plusSeconds(60)), JobSource.HTTP, 4, 3, null, null, null, null)).job();
        Job running = theOnlyQueuedJob(store);
        Job claimed = store.claimAny(1, "me", LEASE).get(0);
        assertEquals(running.id(), claimed.id());

        assertEquals(JobCancels.Result.CANCELLED, store.cancels().cancel(waiting.id(), "cancelled by ops").orElseThrow().result());
        assertEquals(JobState.CANCELLED, store.queries().find(waiting.id()).orElseThrow().state());
        assertEquals(List.of(JobState.SCHEDULED, JobState.CANCELLED),
                store.queries().history(waiting.id()).stream().map(Transition::state).toList());
        clock.advance(Duration.ofSeconds(60));
        store.claims().queueDueJobs();
        assertEquals(JobState.CANCELLED, store.queries().find(waiting.id()).orElseThrow().state(), "a cancelled job never runs");

        assertEquals(Set.of(), store.cancels().requested(Set.of(running.id())));
        assertEquals(JobCancels.Result.REQUESTED, store.cancels().cancel(running.id(), "cancelled by ops").orElseThrow().result());
        assertEquals(Set.of(running.id()), store.cancels().requested(Set.of(running.id(), waiting.id())));
        assertTrue(store.outcomes().cancelled(claimed, "me"));
        assertEquals(JobState.CANCELLED, store.queries().find(running.id()).orElseThrow().state());

        assertEquals(JobCancels.Result.ALREADY_FINISHED, store.cancels().cancel(running.id(), "again").orElseThrow().result());
        assertTrue(store.cancels().cancel("no-such-job", "ops").isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobCancelledWhileItsServerDiedIsNotRunAgain(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        store.claimAny(1, "gone", LEASE);
        store.cancels().cancel(job.id(), "cancelled by ops");

        clock.advance(LEASE.plusSeconds(1));
        List<Job> recovered = store.leases().recover(null);

        assertEquals(List.of(JobState.CANCELLED), recovered.stream().filter(r -> r.id().equals(job.id())).map(Job::state).toList());
        assertTrue(store.claimAny(5, "me", LEASE).stream().noneMatch(j -> j.id().equals(job.id())));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReleasedJobKeepsItsCheckpointAndDoesNotLoseAnAttempt(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        Job running = store.claimAny(1, "me", LEASE).get(0);
        store.outcomes().saveCheckpoint(running, "me", "{\"step\":3}");
        store.outcomes().saveProgress(running, "me", 30);

        assertTrue(store.outcomes().release(running, "me"));
        Job released = store.queries().find(job.id()).orElseThrow();
        assertEquals(JobState.QUEUED, released.state());
        assertEquals(0, released.attempts());
        assertEquals("{\"step\":3}", released.checkpoint());
        assertEquals(30, released.progress());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobHandedBackIsQueuedAgainWithItsAttemptNotCountedAndItsHistorySaysWhy(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        Job running = store.claimAny(1, "me", LEASE).get(0);
        store.outcomes().saveCheckpoint(running, "me", "{\"step\":2}");

        assertFalse(store.outcomes().handBack(running, "someone-else"), "only its owner hands a job back");
        assertTrue(store.outcomes().handBack(running, "me"));
        Job back = store.queries().find(job.id()).orElseThrow();
        assertEquals(JobState.QUEUED, back.state());
        assertEquals(0, back.attempts());
        assertEquals(null, back.owner());
        assertEquals("{\"step\":2}", back.checkpoint());
        List<Transition> history = store.queries().history(job.id());
        assertEquals(List.of(JobState.QUEUED, JobState.RUNNING, JobState.QUEUED), history.stream().map(Transition::state).toList());
        assertEquals("handed back by me: it no longer runs type " + job.type(), history.get(2).detail());
        assertFalse(store.outcomes().handBack(running, "me"), "a second hand-back finds it queued already");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aThreadThatWasJustInterruptedCanStillRecordAndKeepsItsInterrupt(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        Job running = store.claimAny(1, "me", LEASE).get(0);

        Thread.currentThread().interrupt(); // as a job thread is when a stop cancels its job
        try {
            store.outcomes().saveCheckpoint(running, "me", "{\"step\":1}");
            assertTrue(store.outcomes().release(running, "me"));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(JobState.QUEUED, store.queries().find(job.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void jobsOfADeadServerAreTakenBackWhenTheirLeaseLapses(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        store.claimAny(1, "dead-server", LEASE);

        assertTrue(store.leases().recover(null).stream().noneMatch(j -> j.id().equals(job.id())), "not while the lease holds");
        clock.advance(LEASE.plusSeconds(1));
        List<Job> recovered = store.leases().recover(null);

        assertTrue(recovered.stream().anyMatch(j -> j.id().equals(job.id()) && j.state() == JobState.QUEUED));
        assertEquals(JobState.QUEUED, store.queries().find(job.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void renewedLeasesDoNotLapse(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        store.claimAny(1, "alive", LEASE);
        clock.advance(LEASE.minusSeconds(1));
        assertEquals(1, store.leases().renewLeases(List.of(job.id()), "alive", LEASE));
        clock.advance(Duration.ofSeconds(5));

        assertTrue(store.leases().recover(null).stream().noneMatch(j -> j.id().equals(job.id())));
        assertEquals(JobState.RUNNING, store.queries().find(job.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobThatKeepsKillingItsServerEndsDead(String database) throws SQLException {
        JobStores store = store(database);
        Job job = theOnlyQueuedJob(store);
        for (int attempt = 1; attempt <= 3; attempt++) {
            store.claimAny(1, "crashy", LEASE);
            store.leases().recover("crashy"); // the server restarts and takes its jobs back
        }

        Job dead = store.queries().find(job.id()).orElseThrow();
        assertEquals(JobState.DEAD, dead.state());
        assertTrue(dead.error().contains("stopped answering"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void listingPagesNewestFirstByStateTypeAndKey(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 5).forEach(i -> ids.add(store.recorder().insert(job(type, 4, null)).job().id()));
        Collections.reverse(ids);

        List<Job> first = store.queries().list(new JobFilter(JobState.QUEUED, type, null), 3, null);
        List<Job> second = store.queries().list(new JobFilter(JobState.QUEUED, type, null), 3, first.get(2).seq());

        assertEquals(ids.subList(0, 3), first.stream().map(Job::id).toList());
        assertEquals(ids.subList(3, 5), second.stream().map(Job::id).toList());
        assertTrue(store.queries().list(new JobFilter(JobState.SUCCEEDED, type, null), 3, null).isEmpty());

        String keyed = store.recorder().insert(job(type, 4, "listed-" + type)).job().id();
        assertEquals(List.of(keyed), store.queries().list(new JobFilter(null, null, "listed-" + type), 3, null).stream().map(Job::id).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void listingFiltersByTheTimeRecordedAndByTheErrorsTextOrWholeError(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        Instant first = clock.instant();
        String refused = store.recorder().insert(job(type, 4, null)).job().id();
        clock.advance(Duration.ofMinutes(1));
        String literal = store.recorder().insert(job(type, 4, null)).job().id();
        clock.advance(Duration.ofMinutes(1));
        Instant third = clock.instant();
        String succeeded = store.recorder().insert(job(type, 4, null)).job().id();
        runAll(store, Map.of(refused, "Connection REFUSED by db:5432", literal, "100% full_disk"));

        assertEquals(List.of(literal, refused), ids(store, new JobFilter(null, type, null, first, third, null, null)),
                "from is inclusive, to exclusive");
        assertEquals(List.of(succeeded), ids(store, new JobFilter(null, type, null, third, null, null, null)));
        assertEquals(List.of(refused), ids(store, new JobFilter(null, type, null, null, null, "connection refused", null)), "in any case");
        assertEquals(List.of(literal), ids(store, new JobFilter(null, type, null, null, null, "% f", null)),
                "% and _ are the text's own, not patterns");
        assertEquals(List.of(), ids(store, new JobFilter(null, type, null, null, null, "0_f", null)));
        assertEquals(List.of(literal), ids(store, new JobFilter(JobState.DEAD, type, null, null, null, null, "100% full_disk")));
        assertEquals(List.of(), ids(store, new JobFilter(null, type, null, null, null, null, "100% full")), "the whole error, exactly");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theRequeueOfDeadJobsTakesOnlyTheDeadJobsOfItsFilter(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        String timeout = store.recorder().insert(job(type, 4, null)).job().id();
        String otherError = store.recorder().insert(job(type, 4, null)).job().id();
        String succeeded = store.recorder().insert(job(type, 4, null)).job().id();
        runAll(store, Map.of(timeout, "read timed out", otherError, "bad payload"));

        List<String> requeued = new ArrayList<>();
        assertEquals(1, store.requeues().requeueDead(new JobFilter(null, type, null, null, null, null, "read timed out"), requeued::addAll));

        assertEquals(List.of(timeout), requeued);
        assertEquals(JobState.QUEUED, store.queries().find(timeout).orElseThrow().state());
        assertEquals(JobState.DEAD, store.queries().find(otherError).orElseThrow().state());
        assertEquals(JobState.SUCCEEDED, store.queries().find(succeeded).orElseThrow().state());
    }

    private static List<String> ids(JobStores store, JobFilter filter) {
        return store.queries().list(filter, 10, null).stream().map(Job::id).toList();
    }

    /** Claims everything runnable now and ends it: the jobs named dead of their error, every other one succeeded. */
    private static void runAll(JobStores store, Map<String, String> deaths) {
        for (List<Job> batch = store.claimAny(100, "me", LEASE); !batch.isEmpty(); batch = store.claimAny(100, "me", LEASE)) {
            for (Job job : batch) {
                if (deaths.containsKey(job.id())) {
                    assertTrue(store.outcomes().dead(job, "me", deaths.get(job.id())));
                } else {
                    assertTrue(store.outcomes().succeed(job, "me", "null"));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRejectedRequestIsRecordedFinalWithItsReason(String database) throws SQLException {
        JobStores store = store(database);
        NewJob arrival = new NewJob(null, JobSource.JMS, 4, 0, "ID:" + UUID.randomUUID(), "corr", null, Instant.now());
        Acceptance rejected = store.recorder().insertRejected(null, "{not json", "the message is not valid JSON", arrival);

        Job job = store.queries().find(rejected.job().id()).orElseThrow();
        assertEquals(JobState.REJECTED, job.state());
        assertEquals("-", job.type());
        assertEquals("{not json", job.payload());
        assertEquals("the message is not valid JSON", job.error());
        assertTrue(store.recorder().insertRejected(null, "{not json", "again", arrival).duplicate(), "a redelivery is recognised");
    }

    private static NewJob sequenced(String type, String key, long number) {
        return new NewJob(new JobRequest(type, "{\"n\":" + number + "}", null, key, number, null, null, false), JobSource.JMS,
                4, 3, null, null, null, null);
    }

    /**
     * Claims everything runnable now, as dispatchers would, and then completes it; returns the
     * numbers of the type's jobs that ran. (Other tests' jobs in the store are completed too.)
     */
    private static List<Long> runRunnable(JobStores store, String type) {
        List<Job> mine = new ArrayList<>();
        for (List<Job> batch = store.claimAny(100, "me", LEASE); !batch.isEmpty(); batch = store.claimAny(100, "me", LEASE)) {
            for (Job job : batch) {
                if (job.type().equals(type)) {
                    mine.add(job);
                } else {
                    store.outcomes().succeed(job, "me", "null");
                }
            }
        }
        mine.forEach(job -> store.outcomes().succeed(job, "me", "null"));
        return mine.stream().map(Job::sequenceNumber).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void jobsOfASequenceRunInNumberOrderWhateverOrderTheyArriveIn(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        String key = "order-" + type;
        for (long number : new long[] {3, 1, 4, 2}) {
            store.recorder().insert(sequenced(type, key, number));
        }

        List<List<Long>> rounds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rounds.add(runRunnable(store, type));
        }

        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L), List.of(4L)), rounds, "one at a time, in number order");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSecondJobForTheSameSequenceNumberIsADuplicate(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        Acceptance first = store.recorder().insert(sequenced(type, "dup-" + type, 1));
        Acceptance second = store.recorder().insert(sequenced(type, "dup-" + type, 1));

        assertTrue(second.duplicate());
        assertEquals(first.job().id(), second.job().id());
        assertEquals(1L, first.job().sequenceNumber());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobWhosePredecessorNeverArrivesRunsAfterTheGapTimeoutAndSaysSo(String database) throws SQLException {
        JobStores store = store(database);
        String type = uniqueType();
        String key = "gap-" + type;
        store.recorder().insert(sequenced(type, key, 1));
        Acceptance third = store.recorder().insert(sequenced(type, key, 3));

        assertEquals(List.of(1L), runRunnable(store, type));
        assertEquals(List.of(), runRunnable(store, type), "3 waits for 2");
        clock.advance(JobClaims.DEFAULT_SEQUENCE_GAP_TIMEOUT.plusSeconds(1));
        assertEquals(List.of(3L), runRunnable(store, type), "then runs without it");

        assertTrue(store.queries().history(third.job().id()).stream().anyMatch(t -> t.detail() != null
                && t.detail().contains("number 2 did not arrive")), store.queries().history(third.job().id()).toString());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void moreDeadJobsThanOneBatchAreEachRequeuedOnceEvenOneThatDiesAgainMeanwhile(String database) throws SQLException {
        JobStores store = store(database);
        drain(store);
        String type = uniqueType();
        int count = JobRequeues.REQUEUE_BATCH + 30;
        new Database(db.get(database)).inTransaction(tx -> {
            for (int i = 0; i < count; i++) {
                store.recorder().insertNew(tx.connection(), new NewJob(new JobRequest(type, "1", null, null, null, null, null, false),
                        JobSource.HTTP, 4, 1, null, null, null, null));
            }
            tx.commit();
            return null;
        });
        String crashed = "crashed-" + UUID.randomUUID();
        store.claimAny(count, crashed, LEASE);
        Set<String> dead = new HashSet<>();
        store.leases().recover(crashed).forEach(job -> dead.add(job.id())); // their only attempt: DEAD
        assertEquals(count, dead.size());

        List<List<String>> batches = new ArrayList<>();
        List<String> diedAgain = new ArrayList<>();
        int requeued = store.requeues().requeueDead(JobFilter.ofType(type), ids -> {
            batches.add(List.copyOf(ids));
            if (batches.size() == 1) { // before the second batch: the oldest requeued job runs and dies again
                Job again = store.claimAny(1, "me", LEASE).get(0);
                assertTrue(ids.contains(again.id()));
                assertTrue(store.outcomes().dead(again, "me", "broken again"));
                diedAgain.add(again.id());
            }
        });

        assertEquals(count, requeued);
        assertEquals(List.of(JobRequeues.REQUEUE_BATCH, 30), batches.stream().map(List::size).toList());
        assertEquals(dead, batches.stream().flatMap(List::stream).collect(Collectors.toSet()), "each dead job requeued once");
        Map<String, String> states = new HashMap<>();
        Map<String, Integer> requeues = new HashMap<>();
        // One query for all of them: a PostgreSQL connection costs milliseconds.
        try (Connection c = db.get(database).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT j.id, j.state, (SELECT COUNT(*) FROM worker_job_event e WHERE e.job_id = j.id "
                     + "AND e.detail LIKE 'requeued%') FROM worker_job j WHERE j.type = ?")) {
            s.setString(1, type);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getString(2));
                    requeues.put(rs.getString(1), rs.getInt(3));
                }
            }
        }
        assertEquals(dead, states.keySet());
        for (String id : dead) {
            assertEquals(1, requeues.get(id), "requeues of " + id);
            assertEquals(diedAgain.contains(id) ? "DEAD" : "QUEUED", states.get(id), id);
        }
    }
}
