package io.workerrole.testing;

import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
}
