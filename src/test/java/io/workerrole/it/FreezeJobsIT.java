package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeze and jobs: while frozen, job messages wait on the queue (not consumed, so their
 * delivery count is untouched) and no job starts; a running job that outlasts the stopping
 * wait time is stopped, keeps its checkpoint and resumes from it after unfreezing. Nothing is
 * lost.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FreezeJobsIT {

    private static final String APP = "freezejobs";
    private static final String REPLIES = "jms/worker/replies";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @AfterEach
    void unfreeze() {
        WorkerServer.setFreezeInServerXml(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    private void freeze() {
        WorkerServer.setFreezeInServerXml(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> "HELD".equals(WorkerServer.health("live").taskState("job-messages")));
    }

    @Test
    void whileFrozenMessagesWaitOnTheQueueAndRunAfterUnfreezing() {
        freeze();
        String correlationId = "frozen-" + UUID.randomUUID();
        api.sendMessage("{\"type\": \"echo\", \"payload\": \"waited\"}", Map.of("correlationId", correlationId, "replyTo", REPLIES));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> api.depth("jms/worker/jobs", correlationId) == 1);

        WorkerServer.setFreezeInServerXml(false);
        JsonObject reply = Api.parse(api.receive(REPLIES, correlationId).getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", reply.getString("state"));
        assertEquals("\"waited\"", api.job(reply.getString("jobId")).get("result").toString());
        assertEquals(0, api.depth("jms/worker/jobs", correlationId));
    }

    @Test
    void aJobOutlastingTheWaitIsStoppedAndResumesFromItsCheckpoint() {
        String id = api.submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 12000, \"steps\": 12}}").json().getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> api.job(id).getInt("progress") >= 10);

        freeze();
        // The stopping wait time is 3 s on the test server: then the job is stopped and released.
        JsonObject released = api.awaitState(id, "QUEUED", Duration.ofSeconds(15));
        assertTrue(released.containsKey("checkpoint"), released.toString());
        int step = released.getJsonObject("checkpoint").getInt("step");
        assertTrue(step >= 1, released.toString());
        assertEquals(0, released.getInt("attempts"), "a stop is not a failed attempt");

        WorkerServer.setFreezeInServerXml(false);
        JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= step, done.toString());
        assertEquals(12000, done.getJsonObject("result").getInt("sleptMs"));
    }
}
