package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.JobHistory;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Restarts of the server that hosts the messaging engine (reliability matrix R5): job messages
 * that the engine accepted before a restart are still delivered after it — after a graceful
 * stop, and after kill -9 — and each becomes its job, which runs once and succeeds.
 * <p>
 * The worker is frozen while the messages are sent and through both restarts, so they wait on
 * the queue (its endpoint paused) rather than being taken in at once.
 */
@ConcurrentClass
class EngineRestartIT {

    private static final int BATCH = 20;
    private static final String CORRELATION = "engine-restart";
    private static final String PROBE_READY = "/probe/probe/jms/depth?queue=jms/worker/jobs&correlationId=" + CORRELATION;

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;
    private static Api probe;

    @BeforeAll
    static void startFrozenServer() throws Exception {
        server = SERVERS.create("workerEngineIT", Map.of()).withJmsProbe();
        server.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        start();
        api = server.api();
        probe = server.probe();
    }

    @Test
    void messagesAcceptedBeforeARestartOrAKillAreDeliveredAfterItEachAsAJobThatRunsOnce() throws Exception {
        send(0);
        assertEquals(BATCH, waiting(), "sent and waiting on the queue of the frozen worker");
        assertEquals(503, api.get("/api/jobs?type=echo").status(), "the worker's start is held: it serves no jobs, takes none in");

        server.stop();
        start();
        assertEquals(BATCH, waiting(), "after a graceful restart of the engine's server");

        // Killed right after the send returns: the engine must have the messages on disk by then.
        send(BATCH);
        server.kill();
        assertEquals(-1, server.status("/health/live"), "the server is gone");
        start();
        assertEquals(2 * BATCH, waiting(), "after kill -9 of the engine's server just after a send");

        server.removeOverride("freeze.xml");
        // The held start runs now (the API answers 503 until it has), then the endpoint takes the messages in.
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> api.allJobs("echo").size() == 2 * BATCH
                && api.allJobs("echo").stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));
        assertEquals(0, waiting(), "every message taken in");
        List<JsonObject> jobs = api.allJobs("echo");
        Set<String> expected = Stream.of(0, BATCH).flatMap(first -> IntStream.range(0, BATCH).mapToObj(i -> "engine-" + first + "-" + i))
                .collect(Collectors.toSet());
        assertEquals(expected, jobs.stream().map(j -> j.getString("idempotencyKey")).collect(Collectors.toSet()), "none lost");
        // The worker was frozen until every message had come through both restarts: each job
        // then ran once, uninterrupted, and ended once.
        for (JsonObject listed : jobs) {
            JsonObject job = api.job(listed.getString("id"));
            assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), JobHistory.states(job), "queued, ran once, ended once: " + job);
            assertEquals(1, job.getInt("attempts"), job.toString());
        }
    }

    /** Sends a batch of echo jobs keyed engine-FIRST... as persistent messages (the JMS default). */
    private static void send(int first) {
        probe.sendMessage("{\"type\": \"echo\", \"payload\": {\"n\": {i}}, \"idempotencyKey\": \"engine-" + first + "-{i}\"}",
                Map.of("count", Integer.toString(BATCH), "correlationId", CORRELATION));
    }

    /**
     * Starts the server and waits until the worker's start is held by the freeze (START_HELD: no
     * start hook runs, the message endpoint stays paused, so messages wait on the queue) and the
     * probe answers.
     */
    private static void start() {
        server.launch();
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> "START_HELD".equals(server.roleHealth().getString("phase")));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status(PROBE_READY) == 200);
    }

    private static int waiting() {
        return probe.depth("jms/worker/jobs", CORRELATION);
    }
}
