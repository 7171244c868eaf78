package io.workerrole.platform;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.workerrole.platform.Database.ts;

/**
 * Which servers sharing a PostgreSQL job store are alive, as the database itself knows it: each
 * server holds a session advisory lock of its own ({@link #hold}) on a connection it keeps open,
 * and PostgreSQL frees that lock the moment the session ends. A server killed with {@code kill -9}
 * loses it at once (its kernel closes its sockets); one whose host vanished, once PostgreSQL's
 * TCP keepalives, set short on that session, find it gone (about {@value #KEEPALIVE_IDLE_SECONDS}
 * + {@value #KEEPALIVE_INTERVAL_SECONDS} × {@value #KEEPALIVE_COUNT} s). So a free lock tells a dead
 * server from a slow one at once: a server stalled in a long pause, or too busy to renew its
 * leases in time, still holds its session. Leases stay the rule wherever this cannot tell
 * ({@link #absent} never names a server that has not promised to hold a lock).
 *
 * <p><b>Keys.</b> The lock is the two-int form {@code (namespace, key)}. The key is given out once
 * per server id by the table {@code worker_presence} (an identity column): no two servers share
 * one, as they could if it were a hash of their ids. The namespace is that table's own oid,
 * unique in its database, so that two worker installations in two schemas of one database never
 * meet; advisory locks are the database's own, so other databases never meet either.
 *
 * <p><b>A row is a promise</b>: its server holds its lock while it lives. A server that takes over
 * by lease only ({@code worker.takeover=lease}, {@link #withdraw}) has no row, nor has a server of
 * a version before this one (a rolling upgrade): a lock nobody holds means nothing for them. A
 * server found gone loses its row with its jobs ({@link #forget}) and gets a new key when it
 * comes back, so the table keeps only servers that may still be alive.
 *
 * <p><b>Sessions of its own.</b> A pooler that hands one server session to many clients in turn
 * (PgBouncer in transaction or statement mode) breaks session locks: there a lock is nobody's in
 * particular. A {@link Session} checks at each look that its connection is still the session
 * it took the lock on, and says so when it is not ({@link UnsupportedOperationException}): behind
 * such a pooler, take over by lease.
 */
public class ServerPresence {

    private static final Logger LOG = Logger.getLogger(ServerPresence.class.getName());
    /** Seconds of silence after which PostgreSQL probes the presence session's peer. */
    static final int KEEPALIVE_IDLE_SECONDS = 3;
    /** Seconds between two probes. */
    static final int KEEPALIVE_INTERVAL_SECONDS = 1;
    /** Probes unanswered before PostgreSQL ends the session (and frees its lock). */
    static final int KEEPALIVE_COUNT = 3;
    /** How long data PostgreSQL sent on the session may stay unacknowledged before it ends it (tcp_user_timeout). */
    static final Duration UNACKNOWLEDGED = Duration.ofSeconds(6);

    /** What {@link #hold} sets on the session, and {@link Session#close} resets. */
    private static final List<String> SESSION_SETTINGS = List.of("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count",
            "tcp_user_timeout");
    /** The advisory locks of this database that are presence locks, as {@code objid}: the keys held now. */
    private static final String HELD_KEYS = "SELECT l.objid::bigint FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
            + " AND l.objsubid = 2 AND l.classid::bigint = ? AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private final DataSource dataSource;
    private final Database database;
    private final Clock clock;
    private volatile Integer namespace;

    public ServerPresence(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.database = new Database(dataSource);
        this.clock = clock;
    }

    /**
     * Takes this server's presence lock on a connection of its own, held until the session is
     * closed. The lock is tried, never waited for: another session holds it while a takeover of
     * this server's jobs is under way (briefly), or while another server runs under the same id.
     *
     * @throws SQLException if no connection could be had, or another session holds the lock
     * @throws UnsupportedOperationException if the connection is not a session of its own (a pooler)
     */
    public Session hold(String serverId) throws SQLException {
        int namespace = namespace();
        int key = database.withConnection(c -> keyOf(c, serverId));
        Connection connection = dataSource.getConnection();
        Session session = null;
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("SET tcp_keepalives_idle = " + KEEPALIVE_IDLE_SECONDS);
                s.execute("SET tcp_keepalives_interval = " + KEEPALIVE_INTERVAL_SECONDS);
                s.execute("SET tcp_keepalives_count = " + KEEPALIVE_COUNT);
                s.execute("SET tcp_user_timeout = " + UNACKNOWLEDGED.toMillis());
            }
            long[] taken = Jdbc.queryOne(connection, "SELECT pg_try_advisory_lock(?, ?), pg_backend_pid()", s -> {
                s.setInt(1, namespace);
                s.setInt(2, key);
            }, rs -> new long[]{rs.getBoolean(1) ? 1 : 0, rs.getLong(2)}).orElseThrow();
            if (taken[0] == 0) {
                throw new SQLException("the presence lock of " + serverId + " is held by another session (" + holders(connection, namespace, key)
                        + "): another server running as " + serverId + ", or another server taking over its jobs just now");
            }
            session = new Session(connection, serverId, namespace, key, taken[1]);
            if (!Jdbc.exists(connection, HELD_KEYS + " AND l.objid::bigint = ? AND l.pid = pg_backend_pid()", s -> {
                s.setLong(1, Integer.toUnsignedLong(namespace));
                s.setLong(2, key);
            })) {
                throw new UnsupportedOperationException("the presence lock taken on the job store's connection is not held by the session"
                        + " that connection now has: a pooler (PgBouncer in transaction or statement mode, say) shares sessions between clients");
            }
            return session;
        } catch (SQLException | RuntimeException e) {
            if (session != null) {
                session.close();
            } else {
                connection.close();
            }
            throw e;
        }
    }

    /** @return the backends that hold the lock, for a message */
    private static String holders(Connection c, int namespace, int key) throws SQLException {
        List<Long> pids = Jdbc.query(c, "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ?", s -> {
                    s.setLong(1, Integer.toUnsignedLong(namespace));
                    s.setLong(2, key);
                }, rs -> rs.getLong(1));
        return "backend " + pids;
    }

    /** @return the server's key, given out now if it has none */
    private int keyOf(Connection c, String serverId) throws SQLException {
        Optional<Integer> key = key(c, serverId);
        if (key.isPresent()) {
            return key.get();
        }
        try {
            Jdbc.update(c, "INSERT INTO worker_presence (server_id, registered_at) VALUES (?, ?)", s -> {
                s.setString(1, serverId);
                s.setTimestamp(2, ts(clock.instant()));
            });
        } catch (SQLException e) {
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
            // Registered at the same time by another session of this server id: its key is the one.
        }
        return key(c, serverId).orElseThrow(() -> new SQLException("no presence key for " + serverId));
    }

    private static Optional<Integer> key(Connection c, String serverId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT lock_key FROM worker_presence WHERE server_id = ?", s -> s.setString(1, serverId), rs -> rs.getInt(1));
    }

    /**
     * @return the servers other than {@code except} that promised to hold a presence lock and
     *         whose lock no session holds now: gone, or between two sessions (a database
     *         restart, a connection the pool dropped), which only a second look later tells apart
     */
    public List<String> absent(String except) throws SQLException {
        long namespace = Integer.toUnsignedLong(namespace());
        return database.withConnection(c -> Jdbc.query(c, "SELECT server_id FROM worker_presence WHERE server_id <> ? AND lock_key NOT IN ("
                + HELD_KEYS + ")", s -> {
                    s.setString(1, except);
                    s.setLong(2, namespace);
                }, rs -> rs.getString(1)));
    }

    /**
     * Takes the presence lock of a server seen absent, for the caller's transaction: while it
     * lasts, that server cannot come back, so whatever the transaction does with its jobs is done
     * to the jobs of a server that is gone. The lock goes with the transaction's end.
     *
     * @return false if the server holds its lock again, or has no row any more (found gone by
     *         another server, or gone over to leases)
     */
    public boolean lockOut(Connection c, String serverId) throws SQLException {
        int namespace = namespace();
        return Jdbc.queryOne(c, "SELECT pg_try_advisory_xact_lock(?, lock_key) FROM worker_presence WHERE server_id = ?", s -> {
            s.setInt(1, namespace);
            s.setString(2, serverId);
        }, rs -> rs.getBoolean(1)).orElse(false);
    }

    /** In the caller's transaction: forgets a server found gone; it gets a new key if it comes back. */
    public void forget(Connection c, String serverId) throws SQLException {
        Jdbc.update(c, "DELETE FROM worker_presence WHERE server_id = ?", s -> s.setString(1, serverId));
    }

    /** Forgets this server's promise: it takes over by lease only from now on, and its absence means nothing. */
    public void withdraw(String serverId) throws SQLException {
        database.withConnection(c -> forgetting(c, serverId));
    }

    private Void forgetting(Connection c, String serverId) throws SQLException {
        forget(c, serverId);
        return null;
    }

    /** @return the locks' namespace: the oid of the table of keys, read once */
    private int namespace() throws SQLException {
        Integer known = namespace;
        if (known == null) {
            known = database.withConnection(c -> Jdbc.queryOne(c, "SELECT CAST(CAST('worker_presence' AS regclass) AS oid)::bigint",
                    s -> { }, rs -> (int) rs.getLong(1)).orElseThrow());
            namespace = known;
        }
        return known;
    }

    /** This server's presence: the connection whose session holds its lock. */
    public static final class Session implements AutoCloseable {

        private final Connection connection;
        private final String serverId;
        private final int namespace;
        private final int key;
        private final long backend;

        private Session(Connection connection, String serverId, int namespace, int key, long backend) {
            this.connection = connection;
            this.serverId = serverId;
            this.namespace = namespace;
            this.key = key;
            this.backend = backend;
        }

        /** @return the server whose presence this is */
        public String serverId() {
            return serverId;
        }

        /** @return the PostgreSQL backend (its process id) whose session holds the lock */
        public long backend() {
            return backend;
        }

        /**
         * Looks at the session: it answers, and is the one the lock was taken on. A session that
         * answers still holds its lock: a session lock goes only with an unlock, which nothing but
         * {@link #close} asks for. On a network that broke without closing the connection this
         * waits as long as the operating system does: its caller sees it late, not never.
         *
         * @throws SQLException if the session is gone: the lock is free, or will be once the database finds out
         * @throws UnsupportedOperationException if the connection has another session now (a pooler)
         */
        public void confirm() throws SQLException {
            long now = Jdbc.queryOne(connection, "SELECT pg_backend_pid()", s -> { }, rs -> rs.getLong(1)).orElseThrow();
            if (now != backend) {
                throw new UnsupportedOperationException("the job store's connection changed sessions under the presence lock (backend "
                        + backend + ", now " + now + "): a pooler (PgBouncer in transaction or statement mode, say) shares sessions between clients");
            }
        }

        /**
         * Gives the lock up and the connection back. The lock is given up first: a connection goes
         * back to the pool with its session, and a lock left on it would stay held for ever. If the
         * unlock fails the connection is aborted, which ends its session and with it the lock.
         */
        @Override
        public void close() {
            try {
                Jdbc.queryOne(connection, "SELECT pg_advisory_unlock(?, ?)", s -> {
                    s.setInt(1, namespace);
                    s.setInt(2, key);
                }, rs -> rs.getBoolean(1));
                // The pool keeps the session for others: as they had it.
                try (Statement s = connection.createStatement()) {
                    for (String setting : SESSION_SETTINGS) {
                        s.execute("RESET " + setting);
                    }
                }
                connection.close();
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not give the presence lock up; ending its session instead", e);
                abort();
            }
        }

        /**
         * Ends the session at once, from any thread, also while a look hangs on it: the
         * connection is aborted (closed without a word to the database, which then ends the
         * session when it finds out), or at least closed.
         */
        public void abort() {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "Could not abort the presence connection; closing it", e);
                try {
                    connection.close();
                } catch (SQLException | RuntimeException closing) {
                    LOG.log(Level.FINE, "Could not close the presence connection", closing);
                }
            }
        }
    }
}
