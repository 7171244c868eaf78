package io.workerrole.role.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.role.entity.Hold;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.ts;

/**
 * The operators' holds (table {@code worker_hold}): at most one per scope, the fleet or a job
 * type. Setting a hold replaces the scope's last one, and deletes those that have lapsed, so
 * the table holds no more rows than there are holds in force and types held since.
 */
public class HoldStore {

    private static final String COLUMNS = "scope, held_by, reason, held_at, until_at";

    private final Database database;

    /** For CDI proxies. */
    protected HoldStore() {
        this(null);
    }

    public HoldStore(Database database) {
        this.database = database;
    }

    /** @return every hold recorded, lapsed or not, by scope */
    public List<Hold> all() throws SQLException {
        return database.withConnection(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM worker_hold ORDER BY scope", s -> { }, HoldStore::hold));
    }

    /** Sets the holds, each in place of any before it of its scope, and deletes the holds lapsed by {@code now}: all or none. */
    public void put(List<Hold> holds, Instant now) throws SQLException {
        database.inTransaction(tx -> {
            Connection c = tx.connection();
            Jdbc.update(c, "DELETE FROM worker_hold WHERE until_at <= ?", s -> s.setTimestamp(1, ts(now)));
            for (Hold hold : holds) {
                Jdbc.update(c, "DELETE FROM worker_hold WHERE scope = ?", s -> s.setString(1, hold.scope()));
                Jdbc.update(c, "INSERT INTO worker_hold (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)", s -> {
                    s.setString(1, hold.scope());
                    s.setString(2, hold.heldBy());
                    s.setString(3, hold.reason());
                    s.setTimestamp(4, ts(hold.heldAt()));
                    s.setTimestamp(5, ts(hold.until()));
                });
            }
            tx.commit();
            return null;
        });
    }

    /** @return whether a hold of the scope was in force at {@code now} (and is now lifted) */
    public boolean lift(String scope, Instant now) throws SQLException {
        return database.withConnection(c -> Jdbc.update(c, "DELETE FROM worker_hold WHERE scope = ? AND (until_at IS NULL OR until_at > ?)", s -> {
            s.setString(1, scope);
            s.setTimestamp(2, ts(now));
        }) > 0);
    }

    private static Hold hold(ResultSet rs) throws SQLException {
        return new Hold(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)));
    }
}
