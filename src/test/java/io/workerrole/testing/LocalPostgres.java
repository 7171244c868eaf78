package io.workerrole.testing;

import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The machine's PostgreSQL (127.0.0.1:5432, user postgres, trust authentication), for tests. */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    /** @return a data source on the given database */
    public static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[]{"127.0.0.1"});
        pg.setPortNumbers(new int[]{5432});
        pg.setDatabaseName(database);
        pg.setUser("postgres");
        return pg;
    }

    /** Runs one statement on the given database. */
    public static void execute(String database, String statement) throws SQLException {
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /**
     * @param prefix what the name starts with (worker_it, artemis_it)
     * @return a name for a database of a test's own, followed by a random part, so that what its
     *         servers or brokers store starts empty and is theirs alone
     */
    public static String uniqueDatabaseName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public static void createDatabase(String name) throws SQLException {
        execute("test", "CREATE DATABASE " + name);
    }

    /** Drops a database, with any connection still open on it. */
    public static void dropDatabase(String name) throws SQLException {
        execute("test", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
