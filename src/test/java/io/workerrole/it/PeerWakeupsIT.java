package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wake-ups across servers: a job accepted by a server that will not run it soon (here: one that
 * is frozen) starts on an idle other server at once, because that server is woken over
 * PostgreSQL's LISTEN/NOTIFY. The idle server polls the job store only every 60 s, so only the
 * wake-up can explain a start within seconds, however busy this machine is.
 */
@ConcurrentClass
class PeerWakeupsIT {

    private static final Duration POLL = Duration.ofSeconds(60);
    /** Far below the poll: a job that started within this was woken for. */
    private static final Duration WOKEN = Duration.ofSeconds(15);
    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer accepting;
    private static LibertyServer running;

    @BeforeAll
    static void startTwoServersOneOfThemFrozen() throws Exception {
        SERVERS.createDatabase(DATABASE);
        accepting = server("workerWakeA").withDriversVisible();
        accepting.launch();
        running = server("workerWakeB").withDriversVisible().start();
        // Frozen once it has started: a worker frozen at its start holds its start hooks and takes no
        // job at all. Frozen after, it takes jobs over HTTP (its API answers) but runs none.
        await().atMost(Duration.ofMinutes(2)).until(() -> accepting.status("/health/ready") == 200);
        accepting.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> frozenAndListening(accepting));
    }

    private static LibertyServer server(String name) throws Exception {
        return SERVERS.createOnPostgres(name, DATABASE, Map.of("worker.jobs.pollInterval", POLL.toString()));
    }

    private static boolean frozenAndListening(LibertyServer server) throws Exception {
        JsonObject role = server.roleHealth();
        boolean frozenAndRunning = role.getBoolean("frozen") && "RUNNING".equals(role.getString("task.peer-wakeups.state", ""));
        // The task runs before it listens: a server tells the others of jobs only once it listens.
        return frozenAndRunning && Files.readString(server.dir().resolve("logs/messages.log")).contains("Wake-ups across servers: on");
    }

    @Test
    void jobsAcceptedByAFrozenServerStartOnTheOtherAtOnce() throws Exception {
        Api api = accepting.api();
        List<String> ids = IntStream.range(0, 5).mapToObj(i -> {
            Api.Answer accepted = api.submit("{\"type\": \"echo\", \"payload\": " + i + "}");
            assertEquals(202, accepted.status(), accepted.body());
            return accepted.json().getString("id");
        }).toList();

        for (String id : ids) {
            JsonObject job = api.awaitState(id, "SUCCEEDED", WOKEN);
            assertEquals("workerWakeB", ranOn(job), job.toString());
        }
        assertTrue(Files.readString(running.dir().resolve("logs/messages.log")).contains("Wake-ups across servers: on"),
                "the running server says it listens");
    }

    @Test
    void aDelayedJobAcceptedByAFrozenServerStartsOnTheOtherAtItsTime() {
        Api api = accepting.api();
        Instant runAt = Instant.now().plusSeconds(3);
        Api.Answer accepted = api.submit("{\"type\": \"echo\", \"payload\": \"later\", \"runAt\": \"" + runAt + "\"}");
        assertEquals(202, accepted.status(), accepted.body());

        JsonObject job = api.awaitState(accepted.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(3).plus(WOKEN));
        assertEquals("workerWakeB", ranOn(job), job.toString());
        assertTrue(!Instant.parse(job.getString("startedAt")).isBefore(runAt), "not before its time: " + job);
    }

    /** @return the server id (without its host) that the job's RUNNING history entry names */
    private static String ranOn(JsonObject job) {
        return job.getJsonArray("history").stream().map(JsonValue::asJsonObject)
                .filter(entry -> "RUNNING".equals(entry.getString("state"))).findFirst()
                .map(entry -> entry.getString("detail").split("@")[0]).orElse("none");
    }
}
