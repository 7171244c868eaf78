package io.workerrole.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static io.workerrole.platform.Database.ts;

/**
 * Named leases shared by every server on one database (table {@code worker_lease}), for work
 * that one server at a time should do: of servers racing for a free or lapsed lease exactly one
 * gets it, and it stays theirs while they renew it in time. A holder that dies stops renewing;
 * once its lease lapses, another server takes it over.
 * <p>
 * A lease is a matter of time, read from the injected clock of each server: servers that share
 * a database must agree on the time within much less than a lease's duration. A holder that
 * stalls past its lease (a long pause) may find that another server took over meanwhile, so work
 * under a lease must stay correct, if wasteful, when two servers briefly do it at once.
 */
public class ClusterLease {

    private final Database database;
    private final Clock clock;

    /** For CDI proxies. */
    protected ClusterLease() {
        this(null, null);
    }

    public ClusterLease(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Holds the lease {@code name} for {@code duration} from now as {@code owner}: renews it if
     * the owner holds it already (even if it lapsed and nobody took it), takes it if it is free
     * or has lapsed.
     *
     * @return true if the owner holds it now, false if another owner holds it unexpired
     */
    public boolean hold(String name, String owner, Duration duration) throws SQLException {
        Instant now = clock.instant();
        Instant until = now.plus(duration);
        // Each statement commits on its own: the row's lock decides between racing servers, and
        // a statement that waited for it reads the winner's row before it updates anything.
        return database.withConnection(c -> renew(c, name, owner, until)
                || takeOver(c, name, owner, now, until)
                || !exists(c, name) && insert(c, name, owner, now, until));
    }

    /**
     * Gives the lease up, so that another server may take it at once.
     *
     * @return false if the owner did not hold it (it lapsed and was taken over, or was never held)
     */
    public boolean release(String name, String owner) throws SQLException {
        return database.withConnection(c -> Jdbc.update(c, "DELETE FROM worker_lease WHERE name = ? AND owner = ?", s -> {
            s.setString(1, name);
            s.setString(2, owner);
        }) == 1);
    }

    private static boolean renew(Connection c, String name, String owner, Instant until) throws SQLException {
        return Jdbc.update(c, "UPDATE worker_lease SET lease_until = ? WHERE name = ? AND owner = ?", s -> {
            s.setTimestamp(1, ts(until));
            s.setString(2, name);
            s.setString(3, owner);
        }) == 1;
    }

    private static boolean takeOver(Connection c, String name, String owner, Instant now, Instant until) throws SQLException {
        return Jdbc.update(c, "UPDATE worker_lease SET owner = ?, lease_until = ?, acquired_at = ? WHERE name = ? AND lease_until < ?", s -> {
            s.setString(1, owner);
            s.setTimestamp(2, ts(until));
            s.setTimestamp(3, ts(now));
            s.setString(4, name);
            s.setTimestamp(5, ts(now));
        }) == 1;
    }

    /** Whether another owner holds the lease unexpired (a lapsed one was just taken over): read first, so that a refusal costs no error. */
    private static boolean exists(Connection c, String name) throws SQLException {
        return Jdbc.exists(c, "SELECT 1 FROM worker_lease WHERE name = ?", s -> s.setString(1, name));
    }

    private static boolean insert(Connection c, String name, String owner, Instant now, Instant until) throws SQLException {
        try {
            Jdbc.update(c, "INSERT INTO worker_lease (name, owner, lease_until, acquired_at) VALUES (?, ?, ?, ?)", s -> {
                s.setString(1, name);
                s.setString(2, owner);
                s.setTimestamp(3, ts(until));
                s.setTimestamp(4, ts(now));
            });
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false; // another server inserted it first
            }
            throw e;
        }
    }
}
