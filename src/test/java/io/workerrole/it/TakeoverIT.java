package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.JobHistory;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.platform.SchemaMigration;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Takeover in seconds (reliability matrix R26), two servers on one PostgreSQL job store with the
 * default lease (60 s), so that nothing here is the lease's doing. A server killed with
 * {@code kill -9} while it runs 10 checkpointing jobs: all 10 run again on the other within 5 s
 * of the kill, from their checkpoints, and each ends once. A server whose session in the job
 * store ends while it lives (the database dropped its connection): it hands its jobs back before
 * anyone may take them over, comes back, and each job still runs once at a time and ends once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ConcurrentClass
class TakeoverIT {

    private static final int JOBS = 10;
    /** The issue's bound on the takeover: from the kill to all jobs running again elsewhere. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(5);
    private static final String SLEEP = "{\"type\": \"sleep\", \"payload\": {\"ms\": 12000, \"steps\": 12}}";
    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_takeover");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer first;
    private static LibertyServer second;

    @BeforeAll
    static void startTwoServersOnOneDatabase() throws Exception {
        SERVERS.createDatabase(DATABASE);
        // The schema made here, as an admin may before a deployment, so that both servers start at once.
        SchemaMigration.migrate(LocalPostgres.dataSource(DATABASE));
        first = server("workerTakeoverA");
        second = server("workerTakeoverB");
        CompletableFuture.allOf(CompletableFuture.runAsync(first::start), CompletableFuture.runAsync(second::start)).join();
    }

    private static LibertyServer server(String name) throws IOException {
        return SERVERS.createOnPostgres(name, DATABASE, Map.of());
    }

    @Test
    @Order(1)
    void aServerWhoseSessionEndsWhileItLivesHandsItsJobsBackAndEachRunsOnceAtATime() throws Exception {
        List<String> jobs = runningOnFirst();

        assertEquals(1, endPresenceSession("workerTakeoverA"), "the first server's presence session, ended by the database");

        for (String id : jobs) {
            JsonObject done = first.api().awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
            List<JsonObject> history = history(done);
            assertEquals(List.of("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED"), JobHistory.states(done),
                    "handed back once, run again, ended once: " + done);
            assertTrue(history.get(2).getString("detail", "").startsWith("released by workerTakeoverA"),
                    "handed back by its own server before anyone could take it over: " + done);
            assertEquals(0, JobHistory.recoveries(done), "never taken over: " + done);
            assertEquals(1, done.getInt("attempts"), "a hand-back costs no attempt: " + done);
            assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= 2, "resumed from its checkpoint: " + done);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log(first).contains("presence in the job store is back"));
    }

    /*
     * Last: it leaves the first server dead.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterKillMinus9AllItsRunningJobsRunOnTheOtherServerWithinFiveSecondsFromTheirCheckpoints() throws Exception {
        List<String> jobs = runningOnFirst();
        Map<String, Integer> stepAtKill = jobs.stream().collect(Collectors.toMap(id -> id, id -> step(first.api().job(id))));

        Instant killedAt = Instant.now();
        first.kill();

        Api api = second.api();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> jobs.stream().allMatch(id -> lastRunOn(api.job(id)).startsWith("workerTakeoverB@")));
        Instant allRunning = jobs.stream().map(id -> lastRunAt(api.job(id))).max(Instant::compareTo).orElseThrow();
        Instant takenBack = jobs.stream().map(id -> takenBackAt(api.job(id))).max(Instant::compareTo).orElseThrow();
        Duration takeover = Duration.between(killedAt, allRunning);
        System.out.printf("[TakeoverIT] all %d running jobs of the killed server taken back %d ms after the kill -9, running again on the other %d ms after it%n",
                JOBS, Duration.between(killedAt, takenBack).toMillis(), takeover.toMillis());
        assertTrue(takeover.compareTo(TAKEOVER_BOUND) <= 0, "all running again within " + TAKEOVER_BOUND + " of the kill, not " + takeover);

        for (String id : jobs) {
            JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
            assertEquals(List.of("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED"), JobHistory.states(done),
                    "taken over once, ended once: " + done);
            assertEquals(1, JobHistory.recoveries(done), "taken back from the killed server: " + done);
            assertEquals(2, done.getInt("attempts"), "the kill cost one attempt: " + done);
            assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= stepAtKill.get(id),
                    "resumed from its checkpoint (step " + stepAtKill.get(id) + " at the kill): " + done);
            assertTrue(lastRunOn(done).startsWith("workerTakeoverB@"), done.toString());
        }
    }

    /**
     * Submits the jobs to the first server while the second is frozen, so that all run on the
     * first; unfreezes the second once the first has claimed them all, and waits until both
     * servers are ready and each job has checkpointed twice.
     *
     * @return the jobs' ids
     */
    private static List<String> runningOnFirst() throws Exception {
        second.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        await().atMost(Duration.ofSeconds(30)).until(() -> second.status("/health/ready") == 503);
        Api api = first.api();
        List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> {
            Api.Answer answer = api.submit(SLEEP);
            assertEquals(202, answer.status(), answer.body());
            return answer.json().getString("id");
        }).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream().map(api::job)
                .allMatch(job -> job.getString("owner", "").startsWith("workerTakeoverA@")));
        second.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"false\"/>");
        await().atMost(Duration.ofSeconds(30)).until(() -> second.status("/health/ready") == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream().map(api::job).allMatch(job -> step(job) >= 2));
        assertTrue(jobs.stream().map(api::job).allMatch(job -> "RUNNING".equals(job.getString("state"))
                && job.getString("owner", "").startsWith("workerTakeoverA@")), "all still running on the first server");
        return jobs;
    }

    /** Ends the server's presence session from the database's side, as a dropped connection would. @return how many sessions ended */
    private static int endPresenceSession(String server) throws SQLException {
        try (Connection c = LocalPostgres.dataSource(DATABASE).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN worker_presence p"
                     + " ON l.objid::bigint = p.lock_key WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted"
                     + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                     + " AND p.server_id LIKE '" + server + "@%'")) {
            int ended = 0;
            while (rs.next()) {
                ended += rs.getBoolean(1) ? 1 : 0;
            }
            return ended;
        }
    }

    private static List<JsonObject> history(JsonObject job) {
        return job.getJsonArray("history").stream().map(JsonValue::asJsonObject).toList();
    }

    /** @return the server its last RUNNING entry names */
    private static String lastRunOn(JsonObject job) {
        return history(job).stream().filter(e -> "RUNNING".equals(e.getString("state")))
                .reduce((earlier, later) -> later).map(e -> e.getString("detail", "")).orElse("");
    }

    private static Instant lastRunAt(JsonObject job) {
        return history(job).stream().filter(e -> "RUNNING".equals(e.getString("state")))
                .reduce((earlier, later) -> later).map(e -> Instant.parse(e.getString("at"))).orElseThrow();
    }

    /** @return when the job was taken back from a server that stopped answering */
    private static Instant takenBackAt(JsonObject job) {
        return history(job).stream().filter(e -> "QUEUED".equals(e.getString("state")) && e.getString("detail", "").contains("stopped answering"))
                .map(e -> Instant.parse(e.getString("at"))).findFirst().orElseThrow();
    }

    private static int step(JsonObject job) {
        return job.containsKey("checkpoint") ? job.getJsonObject("checkpoint").getInt("step") : 0;
    }

    private static String log(LibertyServer server) throws IOException {
        return Files.readString(server.dir().resolve("logs/messages.log"));
    }
}
