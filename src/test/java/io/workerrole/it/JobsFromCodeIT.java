package io.workerrole.it;

import io.workerrole.it.library.EnqueuingJob;
import io.workerrole.it.library.ShoutJob;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs from code ({@code io.workerrole.api.Jobs}), used by a handler in a library as any bean
 * of an application would use it: a follow-up job runs; inside a JTA transaction the job
 * exists only if the transaction commits; many at once keep their order and their
 * idempotency; an unacceptable job is refused with the reason, as a job message would be.
 */
@ConcurrentClass
class JobsFromCodeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServerWithAnEnqueuingHandler() throws Exception {
        server = SERVERS.create("workerJobsFromCodeIT", Map.of())
                .withHandlerLibrary(ShoutJob.class, EnqueuingJob.class)
                .start();
        api = server.api();
    }

    /** Runs an {@code enqueue} job with this payload and returns its result. */
    private static JsonValue enqueueFromCode(String payload) {
        Api.Answer accepted = api.submit("{\"type\": \"enqueue\", \"payload\": " + payload + "}");
        assertEquals(202, accepted.status(), accepted.body());
        return api.awaitState(accepted.json().getString("id"), "SUCCEEDED", WAIT).get("result");
    }

    @Test
    void aHandlerStartsAFollowUpJob() {
        String followUp = enqueueFromCode("{\"then\": \"hello\"}").asJsonObject().getString("id");

        JsonObject job = api.awaitState(followUp, "SUCCEEDED", WAIT);
        assertEquals("\"HELLO!\"", job.get("result").toString());
        assertEquals("CODE", job.getString("source"));
    }

    @Test
    void aDelayedJobFromCodeWaitsScheduled() {
        String later = enqueueFromCode("{\"then\": \"later\", \"delay\": \"PT1S\"}").asJsonObject().getString("id");

        JsonObject job = api.awaitState(later, "SUCCEEDED", WAIT);
        assertEquals("SCHEDULED", job.getJsonArray("history").get(0).asJsonObject().getString("state"));
        assertEquals("\"LATER!\"", job.get("result").toString());
    }

    @Test
    void aJobEnqueuedInATransactionThatCommitsRuns() {
        JsonObject result = enqueueFromCode("{\"then\": \"kept\", \"transaction\": \"commit\"}").asJsonObject();

        assertEquals("QUEUED", result.getString("stateInside"));
        assertEquals("\"KEPT!\"", api.awaitState(result.getString("id"), "SUCCEEDED", WAIT).get("result").toString());
    }

    @Test
    void aJobEnqueuedInATransactionThatRollsBackNeverExists() {
        String id = enqueueFromCode("{\"then\": \"gone\", \"transaction\": \"rollback\"}").asJsonObject().getString("id");

        assertEquals(404, api.get("/api/jobs/" + id).status());
        // and nothing of it reached the queue: a job enqueued after it runs, and it still is not there
        String later = enqueueFromCode("{\"then\": \"after\"}").asJsonObject().getString("id");
        api.awaitState(later, "SUCCEEDED", WAIT);
        assertEquals(404, api.get("/api/jobs/" + id).status());
    }

    @Test
    void manyJobsAtOnceKeepTheirOrderAndTheirIdempotency() {
        List<String> ids = enqueueFromCode("{\"many\": 50, \"key\": \"many-" + System.nanoTime() + "\"}").asJsonObject()
                .getJsonArray("ids").getValuesAs(JsonString::getString);

        assertEquals(50, ids.size());
        assertEquals(ids.get(0), ids.get(49), "the last job had the first one's idempotency key");
        assertEquals(49, ids.stream().distinct().count());
        for (int i = 0; i < 49; i++) {
            assertEquals("\"JOB " + i + "!\"", api.awaitState(ids.get(i), "SUCCEEDED", WAIT).get("result").toString());
        }
    }

    @Test
    void anUnacceptableJobIsRefusedWithTheReason() {
        String unknownType = enqueueFromCode("{\"bad\": \"type\"}").toString();
        String badPriority = enqueueFromCode("{\"bad\": \"priority\"}").toString();

        assertTrue(unknownType.contains("unknown job type") && unknownType.contains("no-such-type"), unknownType);
        assertTrue(badPriority.contains("priority") && badPriority.contains("0 to 9"), badPriority);
        String endlessDelay = enqueueFromCode("{\"bad\": \"delay\"}").toString();
        assertTrue(endlessDelay.contains("Could not enqueue the shout job") && endlessDelay.contains("(worker.jobs.maxDelay)"), endlessDelay);
        assertNotEquals("accepted", badPriority);
    }
}
