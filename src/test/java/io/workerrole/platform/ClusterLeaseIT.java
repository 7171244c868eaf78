package io.workerrole.platform;

import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster-wide lease on Derby and PostgreSQL: one holder among racing servers, for a free
 * lease and for a lapsed one; renewed by its holder, refused to others until it lapses, then
 * taken over; free again once released.
 */
class ClusterLeaseIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int SERVERS = 8;

    ClusterLeaseIT() {
        super("worker-lease-it");
    }

    private ClusterLease leases(String database) {
        return new ClusterLease(new Database(db.get(database)), clock);
    }

    private static String uniqueName() {
        return "lease-" + UUID.randomUUID();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void ofEightServersRacingForAFreeLeaseExactlyOneGetsIt(String database) throws Exception {
        ClusterLease leases = leases(database);
        for (int round = 0; round < 10; round++) {
            String name = uniqueName();
            List<String> winners = race(leases, name);
            assertEquals(1, winners.size(), "round " + round + ": " + winners);
            assertEquals(winners.get(0), holder(database, name));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void ofEightServersRacingForALapsedLeaseExactlyOneTakesItOver(String database) throws Exception {
        ClusterLease leases = leases(database);
        for (int round = 0; round < 10; round++) {
            String name = uniqueName();
            assertTrue(leases.hold(name, "gone", LEASE));
            clock.advance(LEASE.plusSeconds(1));
            List<String> winners = race(leases, name);
            assertEquals(1, winners.size(), "round " + round + ": " + winners);
            assertEquals(winners.get(0), holder(database, name));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theHolderRenewsItsLeaseAndNoOtherOwnerTakesItWhileItHolds(String database) throws SQLException {
        ClusterLease leases = leases(database);
        String name = uniqueName();
        assertTrue(leases.hold(name, "a", LEASE));
        Instant acquired = clock.instant();

        clock.advance(Duration.ofSeconds(20));
        assertFalse(leases.hold(name, "b", LEASE), "a holds it");
        assertTrue(leases.hold(name, "a", LEASE), "a renews");
        clock.advance(Duration.ofSeconds(20));
        assertFalse(leases.hold(name, "b", LEASE), "40 s after it was taken, the renewal still holds");
        assertEquals("a", holder(database, name));
        assertEquals(acquired, acquiredAt(database, name), "a renewal keeps the time it was acquired");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onceTheLeaseLapsesAnotherOwnerTakesItOverAndTheFormerHolderHasLostIt(String database) throws SQLException {
        ClusterLease leases = leases(database);
        String name = uniqueName();
        assertTrue(leases.hold(name, "a", LEASE));

        clock.advance(LEASE);
        assertFalse(leases.hold(name, "b", LEASE), "not before its end has passed");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(leases.hold(name, "b", LEASE));
        assertEquals(clock.instant(), acquiredAt(database, name));
        assertFalse(leases.hold(name, "a", LEASE), "the former holder cannot renew what b took");
        assertFalse(leases.release(name, "a"), "nor release it");
        assertEquals("b", holder(database, name));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReleasedLeaseIsFreeAtOnce(String database) throws SQLException {
        ClusterLease leases = leases(database);
        String name = uniqueName();
        assertTrue(leases.hold(name, "a", LEASE));
        assertFalse(leases.release(name, "b"), "only its holder releases it");
        assertFalse(leases.hold(name, "b", LEASE));

        assertTrue(leases.release(name, "a"));
        assertTrue(leases.hold(name, "b", LEASE), "free before it would have lapsed");
        assertEquals("b", holder(database, name));
    }

    /** @return the owners for whom hold returned true, when eight of them call it at once */
    private static List<String> race(ClusterLease leases, String name) throws Exception {
        ExecutorService servers = Executors.newFixedThreadPool(SERVERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> holds = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                String owner = "server-" + i;
                holds.add(servers.submit(() -> {
                    start.await();
                    return leases.hold(name, owner, LEASE);
                }));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                if (holds.get(i).get()) {
                    winners.add("server-" + i);
                }
            }
            return winners;
        } finally {
            servers.shutdownNow();
        }
    }

    private String holder(String database, String name) throws SQLException {
        return (String) column(database, "owner", name);
    }

    private Instant acquiredAt(String database, String name) throws SQLException {
        return Database.instant((Timestamp) column(database, "acquired_at", name));
    }

    private Object column(String database, String column, String name) throws SQLException {
        try (Connection c = db.get(database).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM worker_lease WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "no lease " + name);
                return rs.getObject(1);
            }
        }
    }
}
