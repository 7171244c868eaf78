package io.workerrole.servers.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;
import io.workerrole.servers.entity.ServerStatus;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.ts;

/**
 * The servers' heartbeats (table {@code worker_server}): one row per server id, which only that
 * server writes, each beat replacing the last. A beat always lands, whether the row exists yet
 * or not, and a reader sees each server's latest beat whole.
 */
public class ServerStore {

    private static final String COLUMNS = "server_id, host, started_at, last_seen, phase, frozen, running, concurrency";

    private final Database database;

    /** For CDI proxies. */
    protected ServerStore() {
        this(null);
    }

    public ServerStore(Database database) {
        this.database = database;
    }

    /** Records the server's beat: its row is written, or created by its first beat. */
    public void beat(ServerStatus status) {
        try {
            // Each statement commits on its own. Only a server's first beat finds no row; two
            // writers of one id (a redeployed application whose old instance still beats, or
            // two servers given the same worker.serverId) may both try to insert it, and the one
            // that loses updates the winner's row instead.
            database.withConnection(c -> update(c, status) || insert(c, status) || update(c, status));
        } catch (SQLException e) {
            throw new StoreException("Could not record the heartbeat of server " + status.serverId(), e);
        }
    }

    /** @return up to {@code limit} servers by id, those after {@code afterServerId} (or from the first, if null) */
    public List<ServerStatus> page(int limit, String afterServerId) {
        try {
            return new PagedQuery("SELECT " + COLUMNS + " FROM worker_server")
                    .pageByKey(database, "server_id", limit, afterServerId, s -> Jdbc.list(s, ServerStore::server));
        } catch (SQLException e) {
            throw new StoreException("Could not list the servers", e);
        }
    }

    /**
     * Deletes the servers last seen before the given time. A dead server stays listed, as gone,
     * until then, so that operators see what went away; after that its row would only pile up:
     * every container a server runs in has a new host name, so a new server id.
     *
     * @return how many were deleted
     */
    public int prune(Instant seenBefore) {
        try {
            return database.withConnection(c -> Jdbc.update(c, "DELETE FROM worker_server WHERE last_seen < ?", s -> s.setTimestamp(1, ts(seenBefore))));
        } catch (SQLException e) {
            throw new StoreException("Could not delete the servers gone long ago", e);
        }
    }

    private static boolean update(Connection c, ServerStatus status) throws SQLException {
        return Jdbc.update(c, "UPDATE worker_server SET host = ?, started_at = ?, last_seen = ?, phase = ?, "
                + "frozen = ?, running = ?, concurrency = ? WHERE server_id = ?", s -> {
            s.setString(1, status.host());
            s.setTimestamp(2, ts(status.startedAt()));
            s.setTimestamp(3, ts(status.lastSeen()));
            s.setString(4, status.phase());
            s.setBoolean(5, status.frozen());
            s.setInt(6, status.running());
            s.setInt(7, status.concurrency());
            s.setString(8, status.serverId());
        }) == 1;
    }

    /** @return false if another writer inserted the row first */
    private static boolean insert(Connection c, ServerStatus status) throws SQLException {
        try {
            Jdbc.update(c, "INSERT INTO worker_server (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                s.setString(1, status.serverId());
                s.setString(2, status.host());
                s.setTimestamp(3, ts(status.startedAt()));
                s.setTimestamp(4, ts(status.lastSeen()));
                s.setString(5, status.phase());
                s.setBoolean(6, status.frozen());
                s.setInt(7, status.running());
                s.setInt(8, status.concurrency());
            });
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The row mapper of a query of {@link #COLUMNS}. */
    private static ServerStatus server(ResultSet rs) throws SQLException {
        return new ServerStatus(rs.getString("server_id"), rs.getString("host"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("last_seen")), rs.getString("phase"), rs.getBoolean("frozen"),
                rs.getInt("running"), rs.getInt("concurrency"));
    }
}
