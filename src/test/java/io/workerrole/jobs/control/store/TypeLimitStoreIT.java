package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.FleetLimitSetting;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.LimitState;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.TypeLimit;
import io.workerrole.platform.Jdbc;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fleet-wide limits in the claim ({@link JobClaims}, {@link TypeLimitStore}) on both databases,
 * and, on PostgreSQL, under claimers of several servers at once.
 */
class TypeLimitStoreIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration GAP = JobClaims.DEFAULT_SEQUENCE_GAP_TIMEOUT;

    TypeLimitStoreIT() {
        super("type-limit-it");
    }

    private static String uniqueType() {
        return "l" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void queue(JobStores store, String type, int count) {
        store.recorder().insertAll(IntStream.range(0, count).mapToObj(i -> new NewJob(new JobRequest(type, "{}", null, null, null, null, null, false),
                JobSource.HTTP, 4, 3, null, null, null, null)).toList());
    }

    private static List<Job> claim(JobStores store, int max, Map<String, TypeLimit> limits, String owner, String... types) {
        return store.claims().claim(max, List.of(types), limits, state -> { }, owner, LEASE, GAP);
    }

    private static int running(JobStores store, String type) throws SQLException {
        return store.database().withConnection(c -> Jdbc.queryOne(c, "SELECT COUNT(*) FROM worker_job WHERE state = ? AND type = ?", s -> {
            s.setString(1, JobState.RUNNING.name());
            s.setString(2, type);
        }, rs -> rs.getInt(1)).orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLimitedTypeNeverRunsMoreThanItsConcurrencyAndTheOtherTypesTakeTheSlotsLeft(String database) throws SQLException {
        JobStores store = JobStores.on(db.get(database), clock);
        String limited = uniqueType();
        String other = uniqueType();
        queue(store, limited, 10);
        queue(store, other, 10);
        Map<String, TypeLimit> limits = Map.of(limited, new TypeLimit(3, null));

        List<Job> first = claim(store, 8, limits, "owner-a", other, limited);
        assertEquals(3, first.stream().filter(job -> job.type().equals(limited)).count(), "the limited type up to its concurrency");
        assertEquals(5, first.stream().filter(job -> job.type().equals(other)).count(), "the other type the slots left");
        List<LimitState> seen = new ArrayList<>();
        assertEquals(List.of(), store.claims().claim(4, List.of(limited), limits, seen::add, "owner-b", LEASE, GAP),
                "another server finds the type at its limit");
        assertTrue(seen.get(0).atConcurrency(), "and says so: " + seen);

        Job done = first.stream().filter(job -> job.type().equals(limited)).findFirst().orElseThrow();
        assertTrue(store.outcomes().succeed(done, "owner-a", "{}"));
        assertEquals(1, claim(store, 4, limits, "owner-b", limited).size(), "a finished job's slot comes back");
        assertEquals(3, running(store, limited));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLimitedTypeStartsWithinItsRate(String database) throws SQLException {
        JobStores store = JobStores.on(db.get(database), clock);
        String limited = uniqueType();
        queue(store, limited, 30);
        Map<String, TypeLimit> limits = Map.of(limited, new TypeLimit(null, 20.0));

        assertEquals(5, claim(store, 16, limits, "owner-a", limited).size(), "a full bucket: a quarter second's worth");
        assertEquals(0, claim(store, 16, limits, "owner-b", limited).size(), "nothing left at the same instant");
        clock.advance(Duration.ofMillis(100));
        assertEquals(2, claim(store, 16, limits, "owner-b", limited).size(), "two starts 100 ms later at 20/s");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(5, claim(store, 16, limits, "owner-a", limited).size(), "no more than the capacity after a pause");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theApisLimitIsKeptRemovedAndLeavesTheBucketAlone(String database) throws SQLException {
        JobStores store = JobStores.on(db.get(database), clock);
        TypeLimitStore limits = new TypeLimitStore(store.database());
        String type = uniqueType();
        Instant at = clock.instant();
        limits.put(new FleetLimitSetting(type, 5, 0.5, "admin", at), at);
        FleetLimitSetting set = limits.setting(type).orElseThrow();
        assertEquals(5, set.concurrency());
        assertEquals(0.5, set.perSecond());
        assertEquals("admin", set.setBy());
        limits.put(new FleetLimitSetting(type, null, 2.0, "other", at), at);
        assertEquals(new FleetLimitSetting(type, null, 2.0, "other", limits.setting(type).orElseThrow().setAt()), limits.setting(type).orElseThrow());
        assertTrue(limits.settings().stream().anyMatch(s -> s.type().equals(type)));

        assertTrue(limits.remove(type));
        assertFalse(limits.remove(type), "nothing left to remove");
        assertTrue(limits.setting(type).isEmpty());
    }

    @Test
    void concurrentClaimersOfSeveralServersNeverRunMoreThanTheConcurrency() throws Exception {
        int jobs = 40;
        int concurrency = 5;
        JobStores store = JobStores.on(db.get("postgresql"), Clock.systemUTC());
        String limited = uniqueType();
        queue(store, limited, jobs);
        Map<String, TypeLimit> limits = Map.of(limited, new TypeLimit(concurrency, null));
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService servers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int server = 0; server < 4; server++) {
                String owner = "server-" + server;
                claimers.add(servers.submit(() -> {
                    while (finished.get() < jobs && failures.isEmpty()) {
                        try {
                            List<Job> mine = claim(store, 3, limits, owner, limited);
                            mostRunning.accumulateAndGet(running(store, limited), Math::max);
                            if (!mine.isEmpty()) {
                                TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(1, 5)); // the jobs' run
                            }
                            for (Job done : mine) {
                                assertTrue(store.outcomes().succeed(done, owner, "{}"));
                                finished.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Future<?> claimer : claimers) {
                claimer.get(2, TimeUnit.MINUTES);
            }
        } finally {
            servers.shutdownNow();
        }
        assertEquals(List.of(), failures);
        assertEquals(jobs, finished.get(), "every job ran once");
        assertEquals(concurrency, mostRunning.get(), "the limit was reached, never passed");
    }

    @Test
    void concurrentClaimersOfSeveralServersStartWithinTheRate() throws Exception {
        double perSecond = 50;
        JobStores store = JobStores.on(db.get("postgresql"), Clock.systemUTC());
        String limited = uniqueType();
        queue(store, limited, 400);
        Map<String, TypeLimit> limits = Map.of(limited, new TypeLimit(null, perSecond));
        AtomicInteger started = new AtomicInteger();
        ExecutorService servers = Executors.newFixedThreadPool(4);
        long begin = System.nanoTime();
        long window = TimeUnit.SECONDS.toNanos(2);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int server = 0; server < 4; server++) {
                String owner = "server-" + server;
                claimers.add(servers.submit(() -> {
                    while (System.nanoTime() - begin < window) {
                        started.addAndGet(claim(store, 16, limits, owner, limited).size());
                    }
                    return null;
                }));
            }
            for (Future<?> claimer : claimers) {
                claimer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            servers.shutdownNow();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        int most = (int) Math.floor(perSecond * seconds + perSecond / 4);
        assertTrue(started.get() <= most, started + " started in " + seconds + " s, at most " + most);
        assertTrue(started.get() >= perSecond, started + " started in " + seconds + " s: claims were not held back for nothing");
    }
}
