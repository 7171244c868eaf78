package io.workerrole.jobs.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases the job store runs on, and what differs between them. */
public enum Dialect {
    /** Embedded, one server: claims are serialized by the single dispatcher, so optimistic updates do. */
    DERBY,
    /** Shared by many servers: claims use FOR UPDATE SKIP LOCKED, so servers never wait on each other. */
    POSTGRESQL;

    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("derby")) {
            return DERBY;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new SQLException("The job store supports Derby and PostgreSQL, not " + product);
    }
}
