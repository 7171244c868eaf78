package io.workerrole.schedules.control;

import io.workerrole.api.JobState;
import io.workerrole.api.MissedFirings;
import io.workerrole.jobs.boundary.JobsInTransaction;
import io.workerrole.jobs.entity.JobFilter;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.Database;
import io.workerrole.platform.InputBounds;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.FiringOutcome;
import io.workerrole.schedules.entity.PutOutcome;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleConflictException;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import io.workerrole.schedules.entity.ScheduleOrigin;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedules' stores' SQL ({@link ScheduleDefinitionStore}, {@link FiringLedger}) on embedded
 * Derby and on PostgreSQL: a firing is claimed once per scope and instant, with its job in the
 * same transaction, however many servers race for it.
 */
class ScheduleStoreIT extends StoreDatabaseTest {

    ScheduleStoreIT() {
        super("worker-schedule-it");
    }

    private record Stores(ScheduleDefinitionStore schedules, FiringLedger ledger, JobStores jobs) {
    }

    private Stores stores(String database) throws SQLException {
        DataSource dataSource = db.get(database);
        JobStores jobs = JobStores.on(dataSource, clock);
        Database data = new Database(dataSource);
        FiringLedger ledger = new FiringLedger(data, jobsWithin(jobs), clock);
        return new Stores(new ScheduleDefinitionStore(data, ledger, clock), ledger, jobs);
    }

    /** The schedule store's view of jobs, on the job store's own recorder and queries (as JobService does it). */
    private static JobsInTransaction jobsWithin(JobStores jobs) {
        return new JobsInTransaction() {
            @Override
            public String recordWithin(Connection c, NewJob job) throws SQLException {
                return jobs.recorder().insertNew(c, job);
            }

            @Override
            public Optional<Job> findWithin(Connection c, String id) throws SQLException {
                return jobs.queries().find(c, id);
            }
        };
    }

    private static ScheduleDefinition definition(String name, boolean singleton) {
        return new ScheduleDefinition(name, ScheduleKind.FIXED_RATE, null, null, Duration.ofSeconds(1), null, "t-" + name,
                "{\"n\":1}", 4, singleton, MissedFirings.RUN_ONCE, ScheduleOrigin.API);
    }

    private static NewJob job(Schedule schedule, Instant at) {
        String type = schedule.definition().jobType();
        return new NewJob(new JobRequest(type, "{\"n\":1}", null, null, null, null, 4, false), JobSource.SCHEDULE, 4, 3, null,
                "schedule " + schedule.name() + " " + at, null, at);
    }

    private static Schedule stored(ScheduleDefinitionStore store, ScheduleDefinition definition) {
        store.put(definition);
        return store.find(definition.name()).orElseThrow();
    }

    private static String name() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * What ScheduleSpecs takes at its bounds fits both databases: the longest name, cron and zone,
     * the longest interval in every_ms, and the earliest and latest instants (Derby's TIMESTAMP ends
     * with the year 9999, whatever the JVM's zone).
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aDefinitionAtEveryBoundIsStoredAndReadBackUnchanged(String database) throws SQLException {
        ScheduleDefinitionStore store = stores(database).schedules();
        String longest = "b" + name() + "x".repeat(200 - 11);
        ScheduleDefinition cron = new ScheduleDefinition(longest, ScheduleKind.CRON, "0 0 0 * * " + "MON,".repeat(47) + "MO",
                "x".repeat(ScheduleSpecs.MAX_ZONE_LENGTH), null, null, "t", "null", 4, true, MissedFirings.RUN_ONCE, ScheduleOrigin.API);
        ScheduleDefinition rate = new ScheduleDefinition(name(), ScheduleKind.FIXED_RATE, null, null, InputBounds.LONGEST, InputBounds.EARLIEST,
                "t", "null", 4, true, MissedFirings.RUN_ONCE, ScheduleOrigin.API);
        ScheduleDefinition once = new ScheduleDefinition(name(), ScheduleKind.ONCE, null, null, null, InputBounds.LATEST,
                "t", "null", 4, true, MissedFirings.RUN_ONCE, ScheduleOrigin.API);
        assertEquals(200, longest.length());
        assertEquals(ScheduleSpecs.MAX_CRON_LENGTH, cron.cron().length());

        for (ScheduleDefinition definition : List.of(cron, rate, once)) {
            assertEquals(definition, stored(store, definition).definition(), definition.name());
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFiringStartsItsJobAndIsRecordedOnce(String database) throws SQLException {
        Stores stores = stores(database);
        Schedule schedule = stored(stores.schedules(), definition(name(), true));
        Instant at = clock.instant().plusSeconds(1);

        Firing firing = stores.ledger().fire(schedule, "*", at, "server-a", false, job(schedule, at)).orElseThrow();
        Optional<Firing> again = stores.ledger().fire(schedule, "*", at, "server-b", false, job(schedule, at));

        assertEquals(FiringOutcome.RAN, firing.outcome());
        Job job = stores.jobs().queries().find(firing.jobId()).orElseThrow();
        assertEquals(JobState.QUEUED, job.state());
        assertEquals(JobSource.SCHEDULE, job.source());
        assertTrue(again.isEmpty(), "the second server's claim of the same firing records nothing");
        assertEquals(1, stores.jobs().queries().list(JobFilter.ofType(schedule.definition().jobType()), 10, null).size());
        assertEquals(List.of(at), stores.ledger().firings(schedule.name(), null, 10, null).stream().map(Firing::scheduledFor).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eightServersRacingForOneSingletonFiringStartOneJob(String database) throws Exception {
        Stores stores = stores(database);
        Schedule schedule = stored(stores.schedules(), definition(name(), true));
        Instant at = clock.instant().plusSeconds(1);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Firing>>> claims = IntStream.range(0, 8).mapToObj(i -> pool.submit((Callable<Optional<Firing>>) () -> {
                start.await();
                return stores.ledger().fire(schedule, "*", at, "server-" + i, false, job(schedule, at));
            })).toList();
            start.countDown();
            long recorded = 0;
            for (Future<Optional<Firing>> claim : claims) {
                recorded += claim.get().isPresent() ? 1 : 0;
            }
            assertEquals(1, recorded);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, stores.jobs().queries().list(JobFilter.ofType(schedule.definition().jobType()), 10, null).size());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aPerServerScheduleIsClaimedOncePerServer(String database) throws SQLException {
        Stores stores = stores(database);
        Schedule schedule = stored(stores.schedules(), definition(name(), false));
        Instant at = clock.instant().plusSeconds(1);

        assertTrue(stores.ledger().fire(schedule, "a", at, "a", false, job(schedule, at)).isPresent());
        assertTrue(stores.ledger().fire(schedule, "b", at, "b", false, job(schedule, at)).isPresent());
        assertTrue(stores.ledger().fire(schedule, "a", at, "a", false, job(schedule, at)).isEmpty());
        assertEquals(2, stores.jobs().queries().list(JobFilter.ofType(schedule.definition().jobType()), 10, null).size());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFiringWhileThePreviousRunIsUnfinishedIsSkippedAndFrozenFiringsStartNothing(String database) throws SQLException {
        Stores stores = stores(database);
        Schedule schedule = stored(stores.schedules(), definition(name(), true));
        Instant t = clock.instant();
        Firing first = stores.ledger().fire(schedule, "*", t.plusSeconds(1), "a", false, job(schedule, t)).orElseThrow();

        Firing overlapping = stores.ledger().fire(schedule, "*", t.plusSeconds(2), "a", false, job(schedule, t)).orElseThrow();
        assertEquals(FiringOutcome.SKIPPED_OVERLAP, overlapping.outcome());
        assertTrue(overlapping.detail().contains(first.jobId()) && overlapping.detail().contains("QUEUED"), overlapping.detail());

        Job running = stores.jobs().claimAny(10, "a", Duration.ofMinutes(1)).stream()
                .filter(j -> j.id().equals(first.jobId())).findFirst().orElseThrow();
        stores.jobs().outcomes().succeed(running, "a", "null");
        Firing frozen = stores.ledger().fire(schedule, "*", t.plusSeconds(3), "a", true, job(schedule, t)).orElseThrow();
        assertEquals(FiringOutcome.SKIPPED_FROZEN, frozen.outcome());
        assertEquals(null, frozen.jobId());

        assertEquals(FiringOutcome.RAN, stores.ledger().fire(schedule, "*", t.plusSeconds(4), "a", false, job(schedule, t)).orElseThrow().outcome());
        assertEquals(List.of(FiringOutcome.RAN, FiringOutcome.SKIPPED_FROZEN, FiringOutcome.SKIPPED_OVERLAP, FiringOutcome.RAN),
                stores.ledger().firings(schedule.name(), null, 10, null).stream().map(Firing::outcome).toList(), "newest first");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFiringOfAnOlderVersionOrOfAPausedScheduleRecordsNothing(String database) throws SQLException {
        Stores stores = stores(database);
        ScheduleDefinition definition = definition(name(), true);
        Schedule armed = stored(stores.schedules(), definition);
        Instant at = clock.instant().plusSeconds(1);

        stores.schedules().pause(definition.name(), true);
        assertTrue(stores.ledger().fire(armed, "*", at, "a", false, job(armed, at)).isEmpty());
        Schedule resumed = stores.schedules().pause(definition.name(), false).orElseThrow();
        assertEquals(armed.version() + 2, resumed.version());
        assertTrue(stores.ledger().fire(armed, "*", at, "a", false, job(armed, at)).isEmpty(), "armed before the pause");
        assertTrue(stores.ledger().fire(resumed, "*", at, "a", false, job(resumed, at)).isPresent());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void putCreatesChangesOrLeavesAScheduleAndGuardsItsOrigin(String database) throws SQLException {
        ScheduleDefinitionStore store = stores(database).schedules();
        ScheduleDefinition definition = definition(name(), true);

        assertEquals(PutOutcome.CREATED, store.put(definition));
        assertEquals(PutOutcome.UNCHANGED, store.put(definition));
        ScheduleDefinition faster = new ScheduleDefinition(definition.name(), ScheduleKind.FIXED_RATE, null, null, Duration.ofMillis(500),
                null, definition.jobType(), definition.payload(), 4, true, MissedFirings.SKIP, ScheduleOrigin.API);
        assertEquals(PutOutcome.CHANGED, store.put(faster));
        Schedule changed = store.find(definition.name()).orElseThrow();
        assertEquals(2, changed.version());
        assertEquals(faster, changed.definition());

        ScheduleDefinition fromXml = new ScheduleDefinition(definition.name(), ScheduleKind.CRON, "* * * * * *", "UTC", null, null,
                definition.jobType(), "null", 4, true, MissedFirings.RUN_ONCE, ScheduleOrigin.SERVER_XML);
        ScheduleConflictException conflict = assertThrows(ScheduleConflictException.class, () -> store.put(fromXml));
        assertTrue(conflict.getMessage().contains("/api/schedules"), conflict.getMessage());
        assertTrue(!store.create(definition), "create refuses a name that exists");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void missedFiringsAreOneEntryWithTheJobThePolicyRan(String database) throws SQLException {
        Stores stores = stores(database);
        Schedule schedule = stored(stores.schedules(), definition(name(), true));
        Instant last = clock.instant().minusSeconds(1);

        Firing missed = stores.ledger().missed(schedule, "*", last, "a", "3 firings missed", job(schedule, last)).orElseThrow();
        assertEquals(FiringOutcome.MISSED, missed.outcome());
        assertEquals(JobState.QUEUED, stores.jobs().queries().find(missed.jobId()).orElseThrow().state());
        assertTrue(stores.ledger().missed(schedule, "*", last, "b", "3 firings missed", null).isEmpty(), "recorded once");
        assertEquals(Optional.of(last), stores.ledger().lastFiring(schedule.name(), "*").map(Firing::scheduledFor));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void oldHistoryIsPrunedButEachScopesLatestFiringIsKept(String database) throws SQLException {
        Stores stores = stores(database);
        FiringLedger ledger = stores.ledger();
        Schedule schedule = stored(stores.schedules(), definition(name(), false));
        Instant t = clock.instant();
        for (int i = 1; i <= 3; i++) {
            ledger.fire(schedule, "a", t.plusSeconds(i), "a", true, job(schedule, t));
            ledger.fire(schedule, "b", t.plusSeconds(i), "b", true, job(schedule, t));
        }
        clock.advance(Duration.ofDays(8));

        ledger.pruneHistory(clock.instant().minus(Duration.ofDays(7)));

        List<Firing> kept = ledger.firings(schedule.name(), null, 10, null);
        assertEquals(2, kept.size(), kept.toString());
        assertTrue(kept.stream().allMatch(f -> f.scheduledFor().equals(t.plusSeconds(3))), kept.toString());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deletingAScheduleDeletesItsHistoryAndKeepsItsJobsSoANewOneOfTheSameNameStartsAfresh(String database) throws SQLException {
        Stores stores = stores(database);
        ScheduleDefinition definition = definition(name(), true);
        Schedule schedule = stored(stores.schedules(), definition);
        Instant at = clock.instant().plusSeconds(1);
        Firing firing = stores.ledger().fire(schedule, "*", at, "a", false, job(schedule, at)).orElseThrow();

        assertTrue(stores.schedules().delete(definition.name()));
        assertTrue(!stores.schedules().delete(definition.name()), "nothing left to delete");

        assertTrue(stores.schedules().find(definition.name()).isEmpty());
        assertEquals(List.of(), stores.ledger().firings(definition.name(), null, 10, null));
        assertTrue(stores.ledger().lastJob(definition.name(), "*").isEmpty());
        assertEquals(JobState.QUEUED, stores.jobs().queries().find(firing.jobId()).orElseThrow().state(), "the job it started stays");
        Schedule again = stored(stores.schedules(), definition);
        assertEquals(1, again.version());
        assertTrue(stores.ledger().fire(again, "*", at, "a", false, job(again, at)).isPresent(), "the same instant is claimed afresh");
    }
}
