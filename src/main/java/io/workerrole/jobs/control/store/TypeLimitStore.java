package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.FleetLimitSetting;
import io.workerrole.jobs.entity.LimitState;
import io.workerrole.jobs.entity.TokenBucket;
import io.workerrole.jobs.entity.TypeLimit;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.ts;

/**
 * The fleet-wide limits of job types (table {@code worker_type_limit}): the values admins set
 * over the API, and for each limited type the lock its claims take turns under and its token
 * bucket. A claim of a limited type ({@link JobClaims}) locks the type's row, counts the type's
 * RUNNING jobs and refills its bucket, starts no more than both allow, and spends the tokens in
 * the same transaction: two servers never both see the last free slot or the last token. The
 * permits of a type are its RUNNING jobs themselves, so a dead server's come back when its jobs
 * are taken over, and none can leak.
 */
public class TypeLimitStore {

    private static final String SETTING_COLUMNS = "type, concurrency, per_second, set_by, set_at";

    private final Database database;

    /** For CDI proxies. */
    protected TypeLimitStore() {
        this(null);
    }

    public TypeLimitStore(Database database) {
        this.database = database;
    }

    /** @return the limits set over the API, by type */
    public List<FleetLimitSetting> settings() throws SQLException {
        return database.withConnection(c -> Jdbc.query(c, "SELECT " + SETTING_COLUMNS + " FROM worker_type_limit WHERE set_at IS NOT NULL ORDER BY type",
                s -> { }, TypeLimitStore::setting));
    }

    /** @return the limit set over the API on the type, if any */
    public Optional<FleetLimitSetting> setting(String type) throws SQLException {
        return database.withConnection(c -> Jdbc.queryOne(c, "SELECT " + SETTING_COLUMNS + " FROM worker_type_limit WHERE type = ? AND set_at IS NOT NULL",
                s -> s.setString(1, type), TypeLimitStore::setting));
    }

    /** Sets the API's values of the type's limit (in place of any before), keeping its bucket. */
    public void put(FleetLimitSetting setting, Instant now) throws SQLException {
        database.inTransaction(tx -> {
            Connection c = tx.connection();
            lockOrInsert(c, setting.type(), TokenBucket.full(setting.perSecond() == null ? 1 : setting.perSecond(), now));
            Jdbc.update(c, "UPDATE worker_type_limit SET concurrency = ?, per_second = ?, set_by = ?, set_at = ? WHERE type = ?", s -> {
                s.setObject(1, setting.concurrency(), Types.INTEGER);
                s.setObject(2, setting.perSecond(), Types.DOUBLE);
                s.setString(3, setting.setBy());
                s.setTimestamp(4, ts(setting.setAt()));
                s.setString(5, setting.type());
            });
            tx.commit();
            return null;
        });
    }

    /** @return whether the type had a limit set over the API (now removed; server.xml's apply again) */
    public boolean remove(String type) throws SQLException {
        return database.withConnection(c -> Jdbc.update(c, "UPDATE worker_type_limit SET concurrency = NULL, per_second = NULL, "
                + "set_by = NULL, set_at = NULL WHERE type = ? AND set_at IS NOT NULL", s -> s.setString(1, type)) > 0);
    }

    /** @return how many jobs of each type run now across the fleet (types with none left out) */
    public Map<String, Integer> running() throws SQLException {
        Map<String, Integer> running = new TreeMap<>();
        database.withConnection(c -> {
            Jdbc.forEach(c, "SELECT type, COUNT(*) FROM worker_job WHERE state = ? GROUP BY type",
                    s -> s.setString(1, JobState.RUNNING.name()), rs -> running.put(rs.getString(1), rs.getInt(2)));
            return null;
        });
        return running;
    }

    /**
     * Says how many jobs of the type may start now, as the store has it without locking: no more
     * than {@link #lock} would allow (a job that finished, a token that came, since this read is
     * only counted at the next claim), so that a claim can pass over a type that is full without
     * queueing behind the claims of other servers for its lock.
     *
     * @return empty when the type has no row yet
     */
    Optional<Permit> peek(Connection c, String type, TypeLimit limit, Instant now) throws SQLException {
        Optional<TokenBucket> bucket = Jdbc.queryOne(c, "SELECT tokens, refilled_at FROM worker_type_limit WHERE type = ?",
                s -> s.setString(1, type), TypeLimitStore::bucket);
        if (bucket.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(permit(c, type, limit, bucket.get(), now));
    }

    /**
     * Locks the type's row for the rest of the claim's transaction (making it when missing), and
     * says how many jobs of the type may start now.
     */
    Permit lock(Connection c, String type, TypeLimit limit, Instant now) throws SQLException {
        return permit(c, type, limit, lockOrInsert(c, type, TokenBucket.full(limit.perSecond() == null ? 1 : limit.perSecond(), now)), now);
    }

    private static Permit permit(Connection c, String type, TypeLimit limit, TokenBucket bucket, Instant now) throws SQLException {
        int running = -1;
        if (limit.concurrency() != null) {
            // After the lock: under READ COMMITTED this statement sees the jobs the claim that held the lock before started.
            running = Jdbc.queryOne(c, "SELECT COUNT(*) FROM worker_job WHERE state = ? AND type = ?", s -> {
                s.setString(1, JobState.RUNNING.name());
                s.setString(2, type);
            }, rs -> rs.getInt(1)).orElse(0);
        }
        TokenBucket refilled = limit.perSecond() == null ? bucket : bucket.refill(limit.perSecond(), now);
        return new Permit(type, limit, running, refilled, now);
    }

    /** Spends the tokens of the jobs the claim started, under the lock {@link #lock} took. */
    LimitState spend(Connection c, Permit permit, int started) throws SQLException {
        Double perSecond = permit.limit().perSecond();
        TokenBucket after = perSecond == null ? permit.bucket() : permit.bucket().spend(started);
        if (perSecond != null && started > 0) {
            Jdbc.update(c, "UPDATE worker_type_limit SET tokens = ?, refilled_at = ? WHERE type = ?", s -> {
                s.setDouble(1, after.tokens());
                s.setTimestamp(2, ts(after.refilledAt()));
                s.setString(3, permit.type());
            });
        }
        return new LimitState(permit.type(), permit.limit(), permit.running(),
                perSecond == null ? Integer.MAX_VALUE : permit.bucket().whole(), started, permit.at(),
                perSecond == null ? null : after.fullAt(perSecond));
    }

    /** @return the type's bucket, its row locked until the transaction ends; a row is made, with a full bucket, when there is none */
    private static TokenBucket lockOrInsert(Connection c, String type, TokenBucket full) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            Optional<TokenBucket> locked = Jdbc.queryOne(c, "SELECT tokens, refilled_at FROM worker_type_limit WHERE type = ? FOR UPDATE",
                    s -> s.setString(1, type), TypeLimitStore::bucket);
            if (locked.isPresent()) {
                return locked.get();
            }
            // A savepoint: on PostgreSQL a failed statement would otherwise abort the whole claim.
            Savepoint before = c.setSavepoint();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_type_limit (type, tokens, refilled_at) VALUES (?, ?, ?)")) {
                s.setString(1, type);
                s.setDouble(2, full.tokens());
                s.setTimestamp(3, ts(full.refilledAt()));
                s.executeUpdate();
                c.releaseSavepoint(before);
                return full; // the insert holds the new row's lock
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e) || attempt > 0) {
                    throw e;
                }
                c.rollback(before); // another server made the row first: lock theirs
            }
        }
    }

    private static TokenBucket bucket(ResultSet rs) throws SQLException {
        return new TokenBucket(rs.getDouble(1), instant(rs.getTimestamp(2)));
    }

    private static FleetLimitSetting setting(ResultSet rs) throws SQLException {
        int concurrency = rs.getInt(2);
        Integer maybeConcurrency = rs.wasNull() ? null : concurrency;
        double perSecond = rs.getDouble(3);
        Double maybePerSecond = rs.wasNull() ? null : perSecond;
        return new FleetLimitSetting(rs.getString(1), maybeConcurrency, maybePerSecond, rs.getString(4), instant(rs.getTimestamp(5)));
    }

    /**
     * A limited type's claim, under its lock: what the store had when the claim looked.
     *
     * @param running its RUNNING jobs, or -1 if it has no concurrency limit (not counted)
     * @param bucket its bucket refilled to now (unused without a rate)
     */
    record Permit(String type, TypeLimit limit, int running, TokenBucket bucket, Instant at) {

        /** @return how many of its jobs may start now */
        int allowance() {
            int byConcurrency = limit.concurrency() == null ? Integer.MAX_VALUE : Math.max(0, limit.concurrency() - running);
            int byRate = limit.perSecond() == null ? Integer.MAX_VALUE : bucket.whole();
            return Math.min(byConcurrency, byRate);
        }
    }
}
