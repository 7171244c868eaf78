package io.workerrole.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The one way the stores run a statement: its SQL, a setter of its parameters and a mapper of
 * its rows, so that no store writes a result-set loop or a try-with-resources of its own (after
 * db-scheduler's {@code JdbcRunner.query(sql, setter, mapper)}). A store method is then its SQL,
 * its parameters and the one row mapper of its table.
 * <p>
 * Every method works on the connection it is given, inside whatever the caller made of it:
 * auto-commit from {@link Database#withConnection}, a {@link Database.Tx} from
 * {@link Database#inTransaction} (which tries conflicts again), or the caller's JTA transaction.
 * Nothing here opens, commits, rolls back or closes a connection, and a {@link SQLException} is
 * passed on as the driver threw it, so that {@link Database#isTransient} and
 * {@link Database#isUniqueViolation} still see its SQLState. The statement and its result set
 * are always closed.
 * <p>
 * Why not Jdbi 3 (served as {@code org.jdbi:jdbi3-core}), which does the same and more: a Jdbi
 * {@code Handle} expects to own the connection's auto-commit and transaction (it refuses, on
 * close, a transaction it did not end, unless told otherwise), while ours belong to
 * {@link Database}: its retries on SQLState class 40, its interrupt guard for Derby, and the
 * shared transaction of a schedule's firing and its job. Jdbi's convenience (named parameters
 * parsed from the SQL, argument and column types looked up per statement, reflective bean and
 * constructor mappers) is a cost on the claim and record paths, and two more jars (with
 * ANTLR's runtime and geantyref) in every WAR, for what is here under a hundred lines: a
 * statement costs exactly what the hand-written loop did, one row mapper call per row and
 * nothing else.
 */
public final class Jdbc {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Parameters {
        /** For a statement without parameters. */
        Parameters NONE = statement -> {
        };

        void set(PreparedStatement statement) throws SQLException;
    }

    /** Makes a value of the current row; it does not move the result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Takes in the current row, for a caller that folds rows into something of its own (counts, a map). */
    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private Jdbc() {
    }

    /** @return a value per row, in the order of the result */
    public static <T> List<T> query(Connection c, String sql, Parameters parameters, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.set(s);
            return list(s, mapper);
        }
    }

    /** @return the value of the first row, or empty if there is none (a query by a unique key has at most one) */
    public static <T> Optional<T> queryOne(Connection c, String sql, Parameters parameters, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.set(s);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        }
    }

    /** @return true if the query finds a row */
    public static boolean exists(Connection c, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.set(s);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Hands each row to the reader, in the order of the result. */
    public static void forEach(Connection c, String sql, Parameters parameters, RowReader reader) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.set(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    /** Runs an INSERT, UPDATE or DELETE. @return how many rows it changed */
    public static int update(Connection c, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.set(s);
            return s.executeUpdate();
        }
    }

    /**
     * Runs a statement the caller prepared and set (one it reuses, or a paged query's).
     *
     * @return a value per row, in the order of the result
     */
    public static <T> List<T> list(PreparedStatement statement, RowMapper<T> mapper) throws SQLException {
        List<T> values = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(mapper.map(rs));
            }
        }
        return values;
    }

    /** @return {@code ?, ?, ?}: the parameters of an {@code IN (...)} list of {@code count} values */
    public static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
