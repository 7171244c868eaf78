package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual exclusion by key (R28) in the claim's SQL, on Derby and on PostgreSQL: jobs of one mutex
 * key are never RUNNING at once, whoever claims them; a key is held from a job's claim until its
 * outcome is recorded; jobs without a key are claimed as before.
 */
class JobMutexIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    JobMutexIT() {
        super("job-mutex-it");
    }

    private JobStores store(String database) throws SQLException {
        return JobStores.on(db.get(database), clock);
    }

    private static Job insert(JobStores store, String type, int priority, String mutex) {
        return store.recorder().insert(new NewJob(JobRequest.plain(type, "{}", null, priority).withMutex(mutex), JobSource.HTTP,
                priority, 3, null, null, null, null)).job();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aClaimTakesTheFirstJobOfEachKeyInClaimOrderAndEveryJobWithoutOne(String database) throws SQLException {
        JobStores store = store(database);
        String type = unique("t");
        String a = unique("a-");
        String b = unique("b-");
        Job a1 = insert(store, type, 4, a);
        Job free1 = insert(store, type, 4, null);
        Job a2 = insert(store, type, 9, a); // first of its key in claim order: higher priority
        Job b1 = insert(store, type, 4, b);
        Job b2 = insert(store, type, 4, b);
        Job free2 = insert(store, type, 4, null);

        List<Job> claimed = store.claims().claim(10, List.of(type), "me", LEASE);

        assertEquals(List.of(a2.id(), free1.id(), b1.id(), free2.id()), ids(claimed));
        assertEquals(a, claimed.get(0).mutexKey());
        assertEquals(List.of(), store.claims().claim(10, List.of(type), "other", LEASE), "each key held; a1 and b2 wait");
        assertEquals(JobState.QUEUED, store.queries().find(a1.id()).orElseThrow().state());
        assertEquals(JobState.QUEUED, store.queries().find(b2.id()).orElseThrow().state());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aKeyIsHeldFromTheClaimUntilTheOutcomeIsRecordedWhateverTheOutcome(String database) throws SQLException {
        JobStores store = store(database);
        String type = unique("t");
        String key = unique("k-");
        Job first = insert(store, type, 4, key);
        Job second = insert(store, type, 4, key);
        Job third = insert(store, type, 4, key);

        Job running = store.claims().claim(5, List.of(type), "me", LEASE).get(0);
        assertEquals(first.id(), running.id());
        assertEquals(Optional.of(first.id()), store.queries().holderOf(key));
        assertEquals(List.of(), store.claims().claim(5, List.of(type), "other", LEASE));

        assertTrue(store.outcomes().retryLater(running, "me", "boom", clock.instant().plusSeconds(3600)), "a failure frees it too");
        assertEquals(Optional.empty(), store.queries().holderOf(key));
        Job next = store.claims().claim(5, List.of(type), "other", LEASE).get(0);
        assertEquals(second.id(), next.id());

        assertTrue(store.outcomes().succeed(next, "other", "null"));
        assertEquals(List.of(third.id()), ids(store.claims().claim(5, List.of(type), "me", LEASE)));
    }

    /**
     * Four claimers (servers, each its own owner) over 45 jobs of three keys and 15 without: each
     * keeps what it claimed for a moment before recording its outcome. Each job's time as RUNNING
     * is known from inside: it began before its claim returned and ended after its outcome was
     * asked for, so two of one key whose times so measured overlap did run at once.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void concurrentClaimersNeverRunTwoJobsOfOneKeyAtOnce(String database) throws Exception {
        JobStores store = store(database);
        String type = unique("t");
        List<String> keys = List.of(unique("x-"), unique("y-"), unique("z-"));
        int keyed = 45;
        int free = 15;
        Map<String, String> keyOf = new HashMap<>();
        for (int i = 0; i < keyed + free; i++) {
            String key = i % 4 == 3 ? null : keys.get(i % 4 % 3);
            Job job = insert(store, type, 4, key);
            keyOf.put(job.id(), key);
        }
        record Held(String id, String owner, long from, long to) {
        }
        Map<String, List<Held>> heldByKey = new HashMap<>();
        keys.forEach(key -> heldByKey.put(key, Collections.synchronizedList(new ArrayList<>())));
        AtomicInteger done = new AtomicInteger();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());

        ExecutorService servers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> claimers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int server = 0; server < 4; server++) {
                String owner = "server-" + server;
                claimers.add(CompletableFuture.runAsync(() -> {
                    while (done.get() < keyed + free && System.nanoTime() < deadline) {
                        List<Job> batch = store.claims().claim(3, List.of(type), owner, LEASE);
                        long from = System.nanoTime();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the jobs' work
                        for (Job job : batch) {
                            long to = System.nanoTime();
                            assertTrue(store.outcomes().succeed(job, owner, "null"));
                            ran.add(job.id());
                            done.incrementAndGet();
                            if (job.mutexKey() != null) {
                                heldByKey.get(job.mutexKey()).add(new Held(job.id(), owner, from, to));
                            }
                        }
                    }
                }, servers));
            }
            for (CompletableFuture<Void> claimer : claimers) {
                claimer.get(90, TimeUnit.SECONDS); // a claim failed by the unique index would end up here
            }
        } finally {
            servers.shutdownNow();
        }

        assertEquals(keyed + free, ran.size(), "every job ran");
        assertEquals(keyOf.keySet(), new HashSet<>(ran), "each once");
        for (String key : keys) {
            List<Held> held = new ArrayList<>(heldByKey.get(key));
            assertEquals(keyed / 3, held.size());
            held.sort((x, y) -> Long.compare(x.from(), y.from()));
            for (int i = 1; i < held.size(); i++) {
                Held before = held.get(i - 1);
                Held after = held.get(i);
                assertTrue(after.from() > before.to(), () -> before + " and " + after + " of " + key + " ran at once");
            }
        }
        Set<JobState> states = new HashSet<>();
        keyOf.keySet().forEach(id -> states.add(store.queries().find(id).orElseThrow().state()));
        assertEquals(Set.of(JobState.SUCCEEDED), states);
    }
}
