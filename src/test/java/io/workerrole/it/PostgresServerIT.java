package io.workerrole.it;

import io.workerrole.it.library.EnqueuingJob;
import io.workerrole.it.library.ShoutJob;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.testing.LocalPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * PostgreSQL is chosen by configuration alone: a server made from server-config/ with
 * worker.datasource=jdbc/workerPostgres (and a database of its own) creates its schema there
 * and records its jobs there. Its non-XA data source also takes part in a caller's JTA
 * transaction: a job enqueued from code in a transaction that rolls back is not there.
 */
@ConcurrentClass
class PostgresServerIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;

    @BeforeAll
    static void startServerOnPostgres() throws Exception {
        SERVERS.createDatabase(DATABASE);
        server = SERVERS.createOnPostgres("workerPostgresIT", DATABASE, Map.of())
                .withHandlerLibrary(ShoutJob.class, EnqueuingJob.class)
                .start();
    }

    @Test
    void jobsAreRecordedInPostgresqlWhenTheSettingSaysSo() throws Exception {
        Api.Answer accepted = server.api().submit("{\"type\": \"echo\", \"payload\": \"on postgres\"}");
        assertEquals(202, accepted.status(), accepted.body());
        String id = accepted.json().getString("id");

        String state = await().atMost(Duration.ofSeconds(30)).until(() -> stateInPostgres(id), "SUCCEEDED"::equals);
        assertEquals("SUCCEEDED", state);
        assertEquals("SUCCEEDED", server.api().job(id).getString("state"));
    }

    @Test
    void aJobEnqueuedFromCodeInATransactionIsInPostgresqlOnlyIfItCommits() throws Exception {
        String kept = enqueueFromCode("{\"then\": \"kept\", \"transaction\": \"commit\"}");
        String gone = enqueueFromCode("{\"then\": \"gone\", \"transaction\": \"rollback\"}");

        assertEquals("SUCCEEDED", await().atMost(Duration.ofSeconds(30)).until(() -> stateInPostgres(kept), "SUCCEEDED"::equals));
        assertNull(stateInPostgres(gone));
    }

    /** @return the id of the job that an {@code enqueue} job ({@link EnqueuingJob}) enqueued */
    private static String enqueueFromCode(String payload) {
        Api.Answer accepted = server.api().submit("{\"type\": \"enqueue\", \"payload\": " + payload + "}");
        assertEquals(202, accepted.status(), accepted.body());
        return server.api().awaitState(accepted.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(30))
                .getJsonObject("result").getString("id");
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
