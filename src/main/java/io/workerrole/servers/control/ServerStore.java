package io.workerrole.servers.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;
import io.workerrole.servers.entity.ServerProfile;
import io.workerrole.servers.entity.ServerStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * The servers' heartbeats (table {@code worker_server}, with each server's job types in
 * {@code worker_server_type}): one row per server id, which only that server writes, each beat
 * replacing the last. A beat always lands, whether the row exists yet or not, and a reader sees
 * each server's latest beat whole. A server's types are written apart, only when they change.
 */
public class ServerStore {

    private static final String COLUMNS = "server_id, host, started_at, last_seen, phase, frozen, running, concurrency, role, version";
    /** The width of worker_server.version: a longer worker.version is cut. */
    static final int MAX_VERSION_LENGTH = 100;
    /** The phases of a server that runs no more jobs: it said it stops, or its start failed. */
    private static final String ENDING_PHASES = ServerStatus.ENDING_PHASES.stream().sorted()
            .map(phase -> "'" + phase + "'").collect(Collectors.joining(", ", "(", ")"));

    private final Database database;

    /** For CDI proxies. */
    protected ServerStore() {
        this(null);
    }

    public ServerStore(Database database) {
        this.database = database;
    }

    /**
     * Records the server's beat: its row is written, or created by its first beat. Its types are
     * not: see {@link #replaceTypes}.
     *
     * @return true if this beat created the row (a first beat, or one after the row was pruned),
     *         which then has no types yet
     */
    public boolean beat(ServerStatus status) {
        try {
            // Each statement commits on its own. Only a server's first beat finds no row; two
            // writers of one id (a redeployed application whose old instance still beats, or
            // two servers given the same worker.serverId) may both try to insert it, and the one
            // that loses updates the winner's row instead.
            return database.withConnection(c -> {
                if (update(c, status)) {
                    return false;
                }
                if (insert(c, status)) {
                    return true;
                }
                update(c, status); // another writer inserted it first
                return false;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not record the heartbeat of server " + status.serverId(), e);
        }
    }

    /**
     * Replaces the job types of a server whose row exists, in one transaction.
     *
     * @return false if another writer of the same server id replaced them at the same moment
     *         (its list stands; this one is written at the next change or first beat)
     */
    public boolean replaceTypes(String serverId, Collection<String> types) {
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Jdbc.update(c, "DELETE FROM worker_server_type WHERE server_id = ?", s -> s.setString(1, serverId));
                if (!types.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_server_type (server_id, type) VALUES (?, ?)")) {
                        for (String type : types) {
                            s.setString(1, serverId);
                            s.setString(2, type);
                            s.addBatch();
                        }
                        s.executeBatch();
                    } catch (SQLException e) {
                        if (Database.isUniqueViolation(e)) {
                            return false; // rolled back when the transaction closes
                        }
                        throw e;
                    }
                }
                tx.commit();
                return true;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not record the job types of server " + serverId, e);
        }
    }

    /** @return up to {@code limit} servers by id, those after {@code afterServerId} (or from the first, if null) */
    public List<ServerStatus> page(int limit, String afterServerId) {
        try {
            List<ServerStatus> servers = new PagedQuery("SELECT " + COLUMNS + " FROM worker_server")
                    .pageByKey(database, "server_id", limit, afterServerId, s -> Jdbc.list(s, ServerStore::server));
            if (servers.isEmpty()) {
                return servers;
            }
            Map<String, Set<String>> types = typesOf(servers.stream().map(ServerStatus::serverId).toList());
            return servers.stream().map(server -> withTypes(server, types.getOrDefault(server.serverId(), Set.of()))).toList();
        } catch (SQLException e) {
            throw new StoreException("Could not list the servers", e);
        }
    }

    /**
     * @param seenSince the oldest heartbeat of a live server (now less the lease)
     * @param exceptServerId a server whose types the caller knows better (its own)
     * @return the job types the live servers run: those whose last beat is at or after
     *         {@code seenSince} and that have not said they stop
     */
    public Set<String> liveTypes(Instant seenSince, String exceptServerId) {
        try {
            return database.withConnection(c -> Set.copyOf(Jdbc.query(c, "SELECT DISTINCT t.type FROM worker_server_type t "
                    + "JOIN worker_server s ON s.server_id = t.server_id WHERE s.last_seen >= ? AND s.server_id <> ? "
                    + "AND s.phase NOT IN " + ENDING_PHASES, s -> {
                        s.setTimestamp(1, ts(seenSince));
                        s.setString(2, exceptServerId);
                    }, rs -> rs.getString(1))));
        } catch (SQLException e) {
            throw new StoreException("Could not read the job types of the live servers", e);
        }
    }

    /**
     * @return the job types of each role, by role: those of every server the store lists with
     *         that role, live or gone (until pruned), so that a role whose servers all went away
     *         still names the work that waits for it
     */
    public Map<String, Set<String>> typesByRole() {
        try {
            Map<String, Set<String>> roles = new HashMap<>();
            database.withConnection(c -> {
                Jdbc.forEach(c, "SELECT s.role, t.type FROM worker_server s JOIN worker_server_type t ON t.server_id = s.server_id",
                        s -> { }, rs -> roles.computeIfAbsent(rs.getString(1), role -> new TreeSet<>()).add(rs.getString(2)));
                return null;
            });
            return roles;
        } catch (SQLException e) {
            throw new StoreException("Could not read the job types of the roles", e);
        }
    }

    /**
     * Deletes the servers last seen before the given time, and their types with them. A dead
     * server stays listed, as gone, until then, so that operators see what went away; after that
     * its row would only pile up: every container a server runs in has a new host name, so a new
     * server id.
     *
     * @return how many were deleted
     */
    public int prune(Instant seenBefore) {
        try {
            // worker_server_type's rows go with their server's (ON DELETE CASCADE).
            return database.withConnection(c -> Jdbc.update(c, "DELETE FROM worker_server WHERE last_seen < ?", s -> s.setTimestamp(1, ts(seenBefore))));
        } catch (SQLException e) {
            throw new StoreException("Could not delete the servers gone long ago", e);
        }
    }

    /** @return each server's types, by server id, in alphabetical order */
    private Map<String, Set<String>> typesOf(List<String> serverIds) throws SQLException {
        Map<String, Set<String>> types = new HashMap<>();
        database.withConnection(c -> {
            Jdbc.forEach(c, "SELECT server_id, type FROM worker_server_type WHERE server_id IN (" + Jdbc.placeholders(serverIds.size()) + ")",
                    s -> {
                        for (int i = 0; i < serverIds.size(); i++) {
                            s.setString(i + 1, serverIds.get(i));
                        }
                    }, rs -> types.computeIfAbsent(rs.getString(1), id -> new TreeSet<>()).add(rs.getString(2)));
            return null;
        });
        return types;
    }

    private static ServerStatus withTypes(ServerStatus server, Set<String> types) {
        ServerProfile profile = new ServerProfile(server.profile().role(), server.profile().version(), List.copyOf(types));
        return new ServerStatus(server.serverId(), server.host(), server.startedAt(), server.lastSeen(), server.phase(),
                server.frozen(), server.running(), server.concurrency(), profile);
    }

    private static boolean update(Connection c, ServerStatus status) throws SQLException {
        return Jdbc.update(c, "UPDATE worker_server SET host = ?, started_at = ?, last_seen = ?, phase = ?, "
                + "frozen = ?, running = ?, concurrency = ?, role = ?, version = ? WHERE server_id = ?", s -> {
            s.setString(1, status.host());
            s.setTimestamp(2, ts(status.startedAt()));
            s.setTimestamp(3, ts(status.lastSeen()));
            s.setString(4, status.phase());
            s.setBoolean(5, status.frozen());
            s.setInt(6, status.running());
            s.setInt(7, status.concurrency());
            s.setString(8, status.profile().role());
            s.setString(9, truncate(status.profile().version(), MAX_VERSION_LENGTH));
            s.setString(10, status.serverId());
        }) == 1;
    }

    /** @return false if another writer inserted the row first */
    private static boolean insert(Connection c, ServerStatus status) throws SQLException {
        try {
            Jdbc.update(c, "INSERT INTO worker_server (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                s.setString(1, status.serverId());
                s.setString(2, status.host());
                s.setTimestamp(3, ts(status.startedAt()));
                s.setTimestamp(4, ts(status.lastSeen()));
                s.setString(5, status.phase());
                s.setBoolean(6, status.frozen());
                s.setInt(7, status.running());
                s.setInt(8, status.concurrency());
                s.setString(9, status.profile().role());
                s.setString(10, truncate(status.profile().version(), MAX_VERSION_LENGTH));
            });
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The row mapper of a query of {@link #COLUMNS}: the server without its types, which are read apart. */
    private static ServerStatus server(ResultSet rs) throws SQLException {
        return new ServerStatus(rs.getString("server_id"), rs.getString("host"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("last_seen")), rs.getString("phase"), rs.getBoolean("frozen"),
                rs.getInt("running"), rs.getInt("concurrency"),
                new ServerProfile(rs.getString("role"), rs.getString("version"), List.of()));
    }
}
