package io.workerrole.platform;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases the stores run on, and what differs between them. */
public enum Dialect {
    /** Embedded, one server: claims are serialized by the single dispatcher, so optimistic updates do. */
    DERBY,
    /** Shared by many servers: claims use FOR UPDATE SKIP LOCKED, so servers never wait on each other. */
    POSTGRESQL;

    /**
     * @param column a timestamp column
     * @return SQL for the whole minutes from the instant bound to its one parameter to the
     *         column's value (rounded down, for values not before that instant)
     */
    public String minutesSince(String column) {
        return switch (this) {
            case DERBY -> "{fn TIMESTAMPDIFF(SQL_TSI_MINUTE, CAST(? AS TIMESTAMP), " + column + ")}";
            case POSTGRESQL -> "CAST(FLOOR(EXTRACT(EPOCH FROM (" + column + " - CAST(? AS TIMESTAMPTZ))) / 60) AS INTEGER)";
        };
    }

    /** Finds out which database a connection is to. */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("derby")) {
            return DERBY;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new SQLException("The job store supports Derby and PostgreSQL, not " + product);
    }

    /** Finds out which database a data source is, on a connection of its own. */
    public static Dialect of(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        }
    }
}
