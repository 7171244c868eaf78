package io.workerrole.platform;

import io.workerrole.testing.LocalPostgres;
import io.workerrole.testing.StoreDatabaseTest;
import io.workerrole.testing.StoreDatabases;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Servers' presence locks on the machine's PostgreSQL (in a schema of the test's own), each
 * server a session of its own: a server is absent the moment its session ends, never while it
 * holds it, and never at all unless it promised to hold one; a server taken over cannot come back
 * half-way; two servers never share a lock, in one schema or across two.
 */
class ServerPresenceIT extends StoreDatabaseTest {

    ServerPresenceIT() {
        super("server-presence-it");
    }

    private ServerPresence presence() {
        return new ServerPresence(db.get("postgresql"), clock);
    }

    private static String uniqueServer() {
        return "server-" + UUID.randomUUID();
    }

    @Test
    void aServerIsAbsentTheMomentItsSessionEndsAndNeverWhileItHoldsIt() throws Exception {
        ServerPresence presence = presence();
        String server = uniqueServer();
        ServerPresence.Session session = presence.hold(server);
        session.confirm();
        assertFalse(presence.absent("me").contains(server), "present while its session holds the lock");

        endSession(session.backend()); // as when its process is killed: the session ends, no unlock asked for

        await().atMost(Duration.ofSeconds(10)).until(() -> presence.absent("me").contains(server));
        assertThrows(SQLException.class, session::confirm, "the server finds its session gone at its next look");
        assertFalse(presence.absent(server).contains(server), "a server never counts itself absent");
        session.close(); // nothing left to give up, and no failure
    }

    @Test
    void aServerThatGaveItsLockUpIsAbsentUntilItHoldsItAgainWithTheSameKey() throws Exception {
        ServerPresence presence = presence();
        String server = uniqueServer();
        ServerPresence.Session first = presence.hold(server);
        first.close();
        assertTrue(presence.absent("me").contains(server), "given up: absent, as it still promises a lock");

        try (ServerPresence.Session again = presence.hold(server)) {
            assertFalse(presence.absent("me").contains(server));
            assertNotEquals(first.backend(), again.backend(), "a session of its own each time");
        }
    }

    @Test
    void aServerThatPromisedNoLockIsNeverAbsent() throws Exception {
        ServerPresence presence = presence();
        String server = uniqueServer();
        presence.hold(server).close();
        presence.withdraw(server); // it takes over by lease from now on

        assertFalse(presence.absent("me").contains(server));
        assertFalse(presence.absent("me").contains("never-seen"), "nor is a server of an earlier version, with no row");
    }

    @Test
    void eachServerHoldsALockOfItsOwnAndASecondSessionUnderOneIdIsRefused() throws Exception {
        ServerPresence presence = presence();
        String a = uniqueServer();
        String b = uniqueServer();
        try (ServerPresence.Session first = presence.hold(a); ServerPresence.Session second = presence.hold(b)) {
            List<String> absent = presence.absent("me");
            assertFalse(absent.contains(a) || absent.contains(b), "both held at once: " + absent);

            SQLException refused = assertThrows(SQLException.class, () -> presence.hold(a));
            assertTrue(refused.getMessage().contains("held by another session"), refused.getMessage());
            first.confirm();
            second.confirm();
        }
    }

    @Test
    void aServerLockedOutForATakeoverCannotComeBackUntilItEndsAndThenComesBackWithANewKey() throws Exception {
        ServerPresence presence = presence();
        String server = uniqueServer();
        endSession(presence.hold(server).backend());
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.absent("me").contains(server));
        Database database = new Database(db.get("postgresql"));
        int oldKey = key(server);

        database.inTransaction(tx -> {
            assertTrue(presence.lockOut(tx.connection(), server), "its lock is free: the takeover may go on");
            // The server restarts meanwhile: it finds its lock taken, and holds nothing.
            SQLException refused = assertThrows(SQLException.class, () -> presence.hold(server).close());
            assertTrue(refused.getMessage().contains("held by another session"), refused.getMessage());
            presence.forget(tx.connection(), server);
            tx.commit();
            return null;
        });

        try (ServerPresence.Session back = presence.hold(server)) {
            back.confirm();
            assertNotEquals(oldKey, key(server), "forgotten with its jobs: it came back as a new server");
        }
    }

    @Test
    void noLockOutWhileTheServerHoldsItsLockNorOnceItIsForgotten() throws Exception {
        ServerPresence presence = presence();
        String server = uniqueServer();
        Database database = new Database(db.get("postgresql"));
        try (ServerPresence.Session held = presence.hold(server)) {
            assertFalse(lockOut(database, presence, server), "it lives");
            held.confirm();
        }
        presence.withdraw(server);
        assertFalse(lockOut(database, presence, server), "no row: nothing to take over by presence");
    }

    @Test
    void serversOfTwoSchemasOfOneDatabaseNeverShareALock() throws Exception {
        try (StoreDatabases first = StoreDatabases.open("server-presence-it-one");
             StoreDatabases second = StoreDatabases.open("server-presence-it-two")) {
            ServerPresence here = new ServerPresence(first.get("postgresql"), clock);
            ServerPresence there = new ServerPresence(second.get("postgresql"), clock);
            try (ServerPresence.Session one = here.hold("worker1"); ServerPresence.Session two = there.hold("worker1")) {
                assertEquals(keyIn(first, "worker1"), keyIn(second, "worker1"), "the same key in both schemas");
                assertFalse(here.absent("me").contains("worker1"));
                assertFalse(there.absent("me").contains("worker1"));
                one.confirm();
                two.confirm();
            }
        }
    }

    private static boolean lockOut(Database database, ServerPresence presence, String server) throws SQLException {
        return database.inTransaction(tx -> presence.lockOut(tx.connection(), server));
    }

    private int key(String server) throws SQLException {
        return keyIn(db, server);
    }

    private static int keyIn(StoreDatabases databases, String server) throws SQLException {
        return new Database(databases.get("postgresql")).withConnection(c -> Jdbc.queryOne(c,
                "SELECT lock_key FROM worker_presence WHERE server_id = ?", s -> s.setString(1, server), rs -> rs.getInt(1)).orElseThrow());
    }

    /** Ends a backend's session from outside, as the death of its client process does. */
    static void endSession(long backend) throws SQLException {
        LocalPostgres.execute("test", "SELECT pg_terminate_backend(" + backend + ")");
    }
}
