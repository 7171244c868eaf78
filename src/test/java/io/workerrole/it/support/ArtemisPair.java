package io.workerrole.it.support;

import io.workerrole.testing.LocalPostgres;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * A live/backup pair of Artemis brokers of a test's own, made the way an admin makes one: two
 * {@link ArtemisBroker}s by liberty/artemis.sh (WORKER_ARTEMIS_HA primary and backup) on
 * ports of the test's choosing, sharing one store in a PostgreSQL database made for the pair and dropped
 * with it. The primary is live first; the backup takes over once the primary is gone.
 */
public final class ArtemisPair implements AutoCloseable {

    private final ArtemisBroker primary;
    private final ArtemisBroker backup;
    private final String database;
    /** The clients' factory, made at the first {@link #context}, closed by {@link #stop}. */
    private ActiveMQConnectionFactory clients;

    private ArtemisPair(ArtemisBroker primary, ArtemisBroker backup, String database) {
        this.primary = primary;
        this.backup = backup;
        this.database = database;
    }

    /** Creates the two brokers, on these ports, and their store's database. */
    public static ArtemisPair create(String name, int primaryPort, int backupPort) throws IOException, SQLException {
        String database = LocalPostgres.uniqueDatabaseName("artemis_it");
        LocalPostgres.createDatabase(database);
        ArtemisBroker primary = ArtemisBroker.create(name + "-primary", primaryPort, Map.of(
                "WORKER_ARTEMIS_HA", "primary", "WORKER_POSTGRES_DATABASE", database));
        ArtemisBroker backup = ArtemisBroker.create(name + "-backup", backupPort, Map.of(
                "WORKER_ARTEMIS_HA", "backup", "WORKER_POSTGRES_DATABASE", database));
        return new ArtemisPair(primary, backup, database);
    }

    /** Starts the primary, then the backup, and returns once the primary takes connections and knows its backup. */
    public ArtemisPair start() {
        primary.start();
        backup.start();
        return this;
    }

    public ArtemisBroker primary() {
        return primary;
    }

    public ArtemisBroker backup() {
        return backup;
    }

    /**
     * @return the server.xml variables that point a worker at both brokers (which also needs
     *         worker.messaging=artemis among its bootstrap properties)
     */
    public Map<String, String> workerVariables() {
        return Map.of("worker.artemis.port", Integer.toString(primary.port()),
                "worker.artemis.backup.port", Integer.toString(backup.port()));
    }

    /**
     * @return a JMS context signed in as this user, from a plain Java SE client that knows both
     *         brokers and fails over from one to the other, trying again as long as it takes
     */
    public JMSContext context(User user, int sessionMode) {
        if (clients == null) {
            clients = new ActiveMQConnectionFactory("(tcp://127.0.0.1:" + primary.port() + ",tcp://127.0.0.1:" + backup.port()
                    + ")?ha=true&reconnectAttempts=-1&retryInterval=250");
        }
        return clients.createContext(user.name(), user.password(), sessionMode);
    }

    /** Stops both brokers (the backup first, so that it does not take over) and drops their store. */
    public void stop() throws SQLException {
        if (clients != null) {
            clients.close();
            clients = null;
        }
        try {
            backup.stop();
        } finally {
            primary.stop();
        }
        LocalPostgres.dropDatabase(database);
    }

    @Override
    public void close() throws SQLException {
        stop();
    }
}
