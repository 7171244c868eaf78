package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.testing.LocalPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The database goes away for a while (its PostgreSQL database stops taking connections and the
 * open ones are closed): the worker pauses, says so on readiness, answers HTTP with 503 and
 * keeps its process alive; when the database is back it resumes by itself and accepted work
 * still runs.
 */
@ConcurrentClass
class DatabaseOutageIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_outage");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServerOnPostgres() throws Exception {
        SERVERS.createDatabase(DATABASE);
        server = SERVERS.createOnPostgres("workerOutageIT", DATABASE, Map.of()).start();
        api = server.api();
    }

    @Test
    void theWorkerPausesWhileTheDatabaseIsAwayAndResumesByItself() throws SQLException {
        String before = api.submit("{\"type\": \"echo\", \"payload\": \"before\"}").json().getString("id");
        api.awaitState(before, "SUCCEEDED", Duration.ofSeconds(30));

        takeDatabaseAway();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status("/health/ready") == 503);
        assertEquals(200, server.status("/health/live"), "an outage elsewhere is no reason to restart the worker");
        assertEquals(503, api.submit("{\"type\": \"echo\", \"payload\": \"during\"}").status(), "no job can be recorded");
        // The window is what is asserted; the rest of atMost only spares a slow poll on a loaded machine (what breaks this stays broken).
        // It spans the dispatcher's first four looks at the database (StoreOutage: 250 ms, doubling), where
        // a readiness that wrongly came back would show; a config change takes 1.3 s at most (bench/windows.sh).
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20))
                .until(() -> server.status("/health/ready") == 503 && server.status("/health/live") == 200);

        bringDatabaseBack();
        await().atMost(Duration.ofSeconds(60)).until(() -> server.status("/health/ready") == 200);
        String after = api.submit("{\"type\": \"echo\", \"payload\": \"after\"}").json().getString("id");
        assertEquals("\"after\"", api.awaitState(after, "SUCCEEDED", Duration.ofSeconds(30)).get("result").toString());
    }

    private static void takeDatabaseAway() throws SQLException {
        LocalPostgres.execute("test", "ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS false");
        LocalPostgres.execute("test", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE + "'");
    }

    private static void bringDatabaseBack() throws SQLException {
        LocalPostgres.execute("test", "ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS true");
    }
}
