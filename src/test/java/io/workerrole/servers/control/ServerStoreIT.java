package io.workerrole.servers.control;

import io.workerrole.platform.Database;
import io.workerrole.servers.entity.ServerProfile;
import io.workerrole.servers.entity.ServerStatus;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store of heartbeats on Derby and PostgreSQL: a server's first beat creates its row and
 * each later one replaces it; eight first beats of one server at once all land; the servers are
 * listed by id, a page at a time, each with its job types; pruning deletes exactly the servers
 * last seen before its cut-off, with their types; the live types are those of the servers seen
 * within the lease that have not said they stop.
 */
class ServerStoreIT extends StoreDatabaseTest {

    private static final int WRITERS = 8;
    /** Later than any beat of the tests: Instant.MAX is no Timestamp. */
    private static final Instant FAR_FUTURE = Instant.parse("3000-01-01T00:00:00Z");

    ServerStoreIT() {
        super("server-store-it");
    }

    private ServerStore store(String database) {
        ServerStore store = new ServerStore(new Database(db.get(database)));
        // Each test starts from an empty table: prune everything ever seen.
        store.prune(FAR_FUTURE);
        return store;
    }

    private static final ServerProfile WORKER = new ServerProfile("worker", "0.2.0+20261201.101010", List.of());

    private ServerStatus status(String serverId, Instant startedAt, String phase, int running) {
        return new ServerStatus(serverId, "host-" + serverId, startedAt, clock.instant(), phase, false, running, 16, WORKER);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aServersFirstBeatCreatesItsRowAndEachLaterBeatReplacesIt(String database) {
        ServerStore store = store(database);
        Instant started = clock.instant();
        ServerStatus first = status("a@h", started, "STARTING", 0);
        assertTrue(store.beat(first), "the first beat creates the row");
        assertEquals(List.of(first), store.page(50, null));

        clock.advance(Duration.ofSeconds(20));
        ServerStatus later = new ServerStatus("a@h", "host-a@h", started, clock.instant(), "RUNNING", true, 3, 8,
                new ServerProfile("images", "0.3.0+20261202.111111", List.of()));
        assertFalse(store.beat(later));
        assertEquals(List.of(later), store.page(50, null), "one row per server, holding its latest beat");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eightFirstBeatsOfOneServerAtOnceAllLandAndLeaveOneRow(String database) throws Exception {
        ServerStore store = store(database);
        for (int round = 0; round < 5; round++) {
            String serverId = "racing-" + UUID.randomUUID();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> beats = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    int running = i;
                    beats.add(writers.submit(() -> {
                        start.await();
                        store.beat(status(serverId, clock.instant(), "RUNNING", running));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> beat : beats) {
                    beat.get(); // the losers of the insert updated the winner's row instead of failing
                }
            } finally {
                writers.shutdownNow();
            }
            assertEquals(1, store.page(50, null).stream().filter(s -> s.serverId().equals(serverId)).count(), "round " + round);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theServersAreListedByIdAPageAtATime(String database) {
        ServerStore store = store(database);
        for (String id : List.of("c@h", "a@h", "b@h")) {
            store.beat(status(id, clock.instant(), "RUNNING", 0));
        }
        assertEquals(List.of("a@h", "b@h"), ids(store.page(2, null)));
        assertEquals(List.of("c@h"), ids(store.page(2, "b@h")));
        assertEquals(List.of(), ids(store.page(2, "c@h")));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void pruningDeletesTheServersLastSeenBeforeTheCutOffAndNoOther(String database) {
        ServerStore store = store(database);
        store.beat(status("old@h", clock.instant(), "RUNNING", 0));
        Instant oldSeen = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        store.beat(status("at-cut-off@h", clock.instant(), "RUNNING", 0));
        Instant cutOff = clock.instant();
        clock.advance(Duration.ofDays(1));
        store.beat(status("live@h", oldSeen, "RUNNING", 2));

        assertEquals(1, store.prune(cutOff));
        assertEquals(List.of("at-cut-off@h", "live@h"), ids(store.page(50, null)));
        assertEquals(0, store.prune(cutOff), "nothing left to prune");
        assertTrue(store.beat(status("old@h", oldSeen, "RUNNING", 0)), "a beat after pruning creates the row again");
        store.prune(cutOff.plusSeconds(1));
        store.beat(status("old@h", oldSeen, "RUNNING", 0));
        assertEquals(List.of("live@h", "old@h"), ids(store.page(50, null)), "a server back after pruning beats anew");
    }

    private static List<String> ids(List<ServerStatus> servers) {
        return servers.stream().map(ServerStatus::serverId).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aServersTypesAreListedWithItAsLastReplacedAndGoWhenItIsPruned(String database) {
        ServerStore store = store(database);
        store.beat(status("a@h", clock.instant(), "RUNNING", 0));
        store.beat(status("b@h", clock.instant(), "RUNNING", 0));
        assertTrue(store.replaceTypes("a@h", List.of("thumbnail", "echo")));
        assertTrue(store.replaceTypes("b@h", List.of("echo")));
        assertTrue(store.replaceTypes("a@h", List.of("image-crop", "thumbnail")));

        assertEquals(List.of(List.of("image-crop", "thumbnail"), List.of("echo")),
                store.page(50, null).stream().map(server -> server.profile().types()).toList());
        assertTrue(store.replaceTypes("b@h", List.of()));
        assertEquals(List.of(), store.page(50, null).get(1).profile().types(), "a server may run no type");

        clock.advance(Duration.ofDays(2));
        assertEquals(2, store.prune(clock.instant().minus(Duration.ofDays(1))));
        store.beat(status("a@h", clock.instant(), "RUNNING", 0));
        assertEquals(List.of(), store.page(50, null).get(0).profile().types(), "its types went with its row");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLiveTypesAreThoseOfServersSeenWithinTheLeaseThatDoNotStopLeavingOutTheAskingServer(String database) {
        ServerStore store = store(database);
        Instant silentSince = clock.instant();
        store.beat(status("silent@h", silentSince, "RUNNING", 0));
        store.replaceTypes("silent@h", List.of("old-type"));
        clock.advance(Duration.ofMinutes(2));
        Map<String, String> phases = Map.of("images@h", "RUNNING", "starting@h", "STARTING", "held@h", "START_HELD",
                "stopping@h", "STOPPING", "failed@h", "START_FAILED", "me@h", "RUNNING");
        phases.forEach((id, phase) -> {
            store.beat(status(id, clock.instant(), phase, 0));
            store.replaceTypes(id, List.of("type-of-" + id.substring(0, id.indexOf('@')), "echo"));
        });

        assertEquals(Set.of("echo", "type-of-images", "type-of-starting", "type-of-held"),
                store.liveTypes(clock.instant().minus(Duration.ofMinutes(1)), "me@h"));
        assertEquals(Set.of("echo", "type-of-images", "type-of-starting", "type-of-held", "type-of-me", "old-type"),
                store.liveTypes(silentSince, "nobody"), "a lease long enough counts the silent one in");
    }
}
