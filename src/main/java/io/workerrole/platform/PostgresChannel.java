package io.workerrole.platform;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL {@code LISTEN/NOTIFY} channel: messages of a few bytes that every server
 * listening on the database hears within a millisecond or so of the sender's commit, without
 * polling a table. Hearing needs the driver's own API ({@code PGConnection.getNotifications}), so
 * the application must see the driver's classes, from the same library as the data source's
 * ({@link #DRIVER_API}); sending is plain SQL.
 */
public final class PostgresChannel {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    /** The driver's API this class names: where the application cannot see it, this class must not be loaded. */
    public static final String DRIVER_API = "org.postgresql.PGConnection";

    private final DataSource dataSource;
    private final String name;

    /** @param name the channel's name, an SQL identifier in lower case */
    public PostgresChannel(DataSource dataSource, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a channel name: " + name);
        }
        this.dataSource = dataSource;
        this.name = name;
    }

    /** Sends a message; listeners hear it when the sending connection's transaction commits (at once here: auto-commit). */
    public void send(String message) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, name);
            notify.setString(2, message);
            notify.execute();
        }
    }

    /**
     * Starts listening, on a connection of its own (held until the listener is closed).
     *
     * @throws SQLException if no connection could be had, or LISTEN failed
     * @throws UnsupportedOperationException if the data source's connections are not of the
     *         driver this application sees (its classes come from another library)
     */
    public Listener listen() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            if (!connection.isWrapperFor(PGConnection.class)) {
                throw new UnsupportedOperationException("the data source's connections are not of the PostgreSQL driver"
                        + " this application sees: it must be the same library");
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            try (Statement listen = connection.createStatement()) {
                listen.execute("LISTEN " + name);
            }
            return new Listener(connection, pg);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Hears what is sent on the channel, on the connection that listens. */
    public static final class Listener implements AutoCloseable {

        private final Connection connection;
        private final PGConnection pg;

        private Listener(Connection connection, PGConnection pg) {
            this.connection = connection;
            this.pg = pg;
        }

        /** @return the messages heard within this wait (none if nothing came), in the order sent */
        public List<String> next(Duration wait) throws SQLException {
            PGNotification[] notifications = pg.getNotifications(Math.toIntExact(Math.max(1, wait.toMillis())));
            return notifications == null ? List.of() : Stream.of(notifications).map(PGNotification::getParameter).toList();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
