package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.testing.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
class DatabaseOutageIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_outage");
    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServerOnPostgres() throws Exception {
        LocalPostgres.createDatabase(DATABASE);
        server = LibertyServer.create("workerOutageIT", 19480, 17576, Map.of(
                "worker.datasource", "jdbc/workerPostgres",
                "worker.postgres.database", DATABASE)).start();
        api = server.api();
    }

    @AfterAll
    static void stopServerAndDropDatabase() throws SQLException {
        if (server != null) {
            server.stop();
        }
        LocalPostgres.dropDatabase(DATABASE);
    }

    @Test
    void theWorkerPausesWhileTheDatabaseIsAwayAndResumesByItself() throws SQLException {
        String before = api.submit("{\"type\": \"echo\", \"payload\": \"before\"}").json().getString("id");
        api.awaitState(before, "SUCCEEDED", Duration.ofSeconds(30));

        takeDatabaseAway();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status("/health/ready") == 503);
        assertEquals(200, server.status("/health/live"), "an outage elsewhere is no reason to restart the worker");
        assertEquals(503, api.submit("{\"type\": \"echo\", \"payload\": \"during\"}").status(), "no job can be recorded");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
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
