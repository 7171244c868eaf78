package io.workerrole.platform;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The worker's database on plain JDBC: connections in auto-commit for reads, transactions that
 * are always ended and are tried again when the database rolls them back to resolve a
 * conflict. Shared by the job store and the schedule store, so that a schedule's firing and the
 * job it starts are written in one transaction.
 */
public class Database {

    /** How many times a transaction is tried when the database rolls it back (SQLState class 40). */
    public static final int TRANSIENT_ATTEMPTS = 4;
    /** SQLState of a unique constraint violation, on Derby and PostgreSQL alike. */
    public static final String UNIQUE_VIOLATION = "23505";
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work on a connection in auto-commit mode. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A unit of work in a transaction; it commits itself, or is rolled back. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Database work of any kind. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    public <T> T withConnection(ConnectionWork<T> work) throws SQLException {
        return uninterrupted(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        });
    }

    /**
     * Work on a connection that takes part in the calling thread's JTA transaction (Liberty
     * enlists a connection taken inside one): it is neither committed nor rolled back here; the
     * end of the caller's transaction does that. Not tried again on conflicts: only the caller
     * can run its transaction again.
     */
    public <T> T inCallerTransaction(ConnectionWork<T> work) throws SQLException {
        return withConnection(work);
    }

    /**
     * Runs the work in a transaction, and runs it again (up to {@link #TRANSIENT_ATTEMPTS} times)
     * if the database rolled it back to resolve a conflict: a lock timeout, a deadlock or a
     * serialization failure (SQLState class 40). Derby, for one, times out inserts that meet
     * its identity-column preallocation under bursts; a second try succeeds.
     */
    public <T> T inTransaction(TxWork<T> work) throws SQLException {
        return uninterrupted(() -> retryingConflicts(work));
    }

    /**
     * Runs database work with the thread's interrupt flag cleared, and restores it after. The
     * stores are called from job threads that a stop or freeze has interrupted (to record that
     * the job goes back to the queue, or a handler's checkpoint after it caught the interrupt);
     * embedded Derby takes a pending interrupt for an interrupt of its own I/O and closes the
     * connection. (Interrupts that would arrive during the work are kept away by RunningJob.)
     */
    private static <T> T uninterrupted(SqlWork<T> work) throws SQLException {
        boolean interrupted = Thread.interrupted();
        try {
            return work.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T retryingConflicts(TxWork<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Tx tx = new Tx(dataSource.getConnection())) {
                return work.run(tx);
            } catch (SQLException e) {
                if (attempt >= TRANSIENT_ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                LOG.fine(() -> "Transaction rolled back by the database (" + e.getSQLState() + "); trying again");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10L * attempt + ThreadLocalRandom.current().nextInt(10)));
            }
        }
    }

    public static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true if the statement broke a unique constraint (someone else wrote the row first);
     *         for a batch, if one of its statements did (its failure carries the statement's own
     *         as a next exception)
     */
    public static boolean isUniqueViolation(SQLException e) {
        return hasState(e, UNIQUE_VIOLATION);
    }

    /**
     * @return true if the statement names a table the store does not have (SQLState 42X05 on
     *         Derby, 42P01 on PostgreSQL): its schema predates the table, and a server of the
     *         version that brings it has not migrated it yet
     */
    public static boolean isMissingTable(SQLException e) {
        return hasState(e, "42X05") || hasState(e, "42P01");
    }

    /** @return whether the exception, one it chains (a batch's), or one that caused it has the SQLState */
    private static boolean hasState(SQLException e, String state) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            for (SQLException next = cause instanceof SQLException sql ? sql : null; next != null; next = next.getNextException()) {
                if (state.equals(next.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A connection in a transaction that is always ended: committed, or rolled back on close.
     * After the commit the connection is back in auto-commit, so reads that follow need no
     * transaction of their own (and raw Derby refuses to close a connection mid-transaction).
     */
    public static final class Tx implements AutoCloseable {
        private final Connection connection;

        Tx(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
        }

        public Connection connection() {
            return connection;
        }

        public void commit() throws SQLException {
            connection.commit();
            connection.setAutoCommit(true);
        }

        public void rollback() throws SQLException {
            connection.rollback();
            connection.setAutoCommit(true);
        }

        @Override
        public void close() throws SQLException {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } finally {
                connection.close();
            }
        }
    }

    public static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
