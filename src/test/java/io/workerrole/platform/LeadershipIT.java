package io.workerrole.platform;

import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers' leaderships of one singleton on Derby and PostgreSQL, each looked at every second
 * of a clock the test moves: one holds and renews while the other stands by; a holder that stops
 * renewing (it died, or lost the database) stops holding half a lease later, and the other takes
 * over only after the whole lease, at its next attempt; a lease given up is taken at the next
 * attempt, not after a lapse.
 */
class LeadershipIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(15);

    LeadershipIT() {
        super("worker-leadership-it");
    }

    private Leadership leadership(String database, String name, String server) {
        return new Leadership(new ClusterLease(new Database(db.get(database)), clock), name, server, clock);
    }

    private static String uniqueName() {
        return "task:" + UUID.randomUUID();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void oneServerHoldsAndRenewsWhileTheOtherStandsBy(String database) throws SQLException {
        String name = uniqueName();
        Leadership a = leadership(database, name, "a@h");
        Leadership b = leadership(database, name, "b@h");
        for (int second = 0; second <= 60; second++) {
            a.keep(true, LEASE);
            b.keep(true, LEASE);
            assertTrue(a.holds(), "second " + second);
            assertFalse(b.holds(), "second " + second);
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals("a@h", holder(database, name));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aHolderThatStopsRenewingStopsHoldingBeforeTheOtherServerTakesOverAfterTheWholeLease(String database) throws SQLException {
        String name = uniqueName();
        Leadership a = leadership(database, name, "a@h");
        Leadership b = leadership(database, name, "b@h");
        a.keep(true, LEASE);
        int aHeldUntil = -1;
        int bTookAt = -1;
        for (int second = 0; second <= 30 && bTookAt < 0; second++) {
            b.keep(true, LEASE); // a is gone: it keeps nothing any more
            if (a.holds()) {
                aHeldUntil = second;
            }
            if (b.holds()) {
                bTookAt = second;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(7, aHeldUntil, "held for half the lease of its last renewal, 7.5 s");
        assertEquals(20, bTookAt, "at the first attempt (every 5 s) after the lease's 15 s had passed");
        assertEquals("b@h", holder(database, name));
        a.keep(true, LEASE);
        assertFalse(a.holds(), "come back, the former holder stands by");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLeaseGivenUpIsTakenAtTheOtherServersNextAttempt(String database) throws SQLException {
        String name = uniqueName();
        Leadership a = leadership(database, name, "a@h");
        Leadership b = leadership(database, name, "b@h");
        a.keep(true, LEASE);
        b.keep(true, LEASE);

        a.keep(false, LEASE);
        assertFalse(a.holds());
        assertNull(holder(database, name), "its row is deleted");
        clock.advance(Duration.ofSeconds(5));
        b.keep(true, LEASE);
        assertTrue(b.holds());
        assertEquals("b@h", holder(database, name));

        a.keep(true, LEASE);
        assertFalse(a.holds(), "wanted again, it stands by");
    }

    private String holder(String database, String name) throws SQLException {
        try (Connection c = db.get(database).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT owner FROM worker_lease WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
