package io.workerrole.it;

import io.workerrole.it.support.LibertyServer;
import io.workerrole.testing.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL is chosen by configuration alone: a server made from server-config/ with
 * worker.datasource=jdbc/workerPostgres (and a database of its own) creates its schema there
 * and records its jobs there.
 */
class PostgresServerIT {

    private static final String DATABASE = "worker_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static LibertyServer server;

    @BeforeAll
    static void startServerOnPostgres() throws Exception {
        LocalPostgres.execute("test", "CREATE DATABASE " + DATABASE);
        server = LibertyServer.create("workerPostgresIT", 19180, 17376, Map.of(
                "worker.datasource", "jdbc/workerPostgres",
                "worker.postgres.database", DATABASE)).start();
    }

    @AfterAll
    static void stopServerAndDropDatabase() throws SQLException {
        if (server != null) {
            server.stop();
        }
        LocalPostgres.execute("test", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }

    @Test
    void jobsAreRecordedInPostgresqlWhenTheSettingSaysSo() throws Exception {
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.uri("/api/jobs")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"echo\", \"payload\": \"on postgres\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(accepted.body());
        assertTrue(id.find());

        String state = await().atMost(Duration.ofSeconds(30)).until(() -> stateInPostgres(id.group(1)), "SUCCEEDED"::equals);
        assertEquals("SUCCEEDED", state);
        assertEquals(200, server.status("/api/jobs/" + id.group(1)));
    }

    private static String stateInPostgres(String jobId) throws SQLException {
        try (Connection c = LocalPostgres.dataSource(DATABASE).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT state FROM worker_job WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
