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
 * lost. Unfrozen while a long job still drains, the worker starts queued jobs at once and lets
 * the long job run on.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FreezeJobsIT {

    private static final String APP = "freezejobs";
    private static final String REPLIES = "jms/worker/replies";
    /** Overrides are read in the order of their file names: this one must come after test-server.xml. */
    private static final String LONG_STOPPING_WAIT = "worker-long-stopping-wait-it.xml";
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

        // The window is what is asserted; the rest of atMost only spares a slow poll on a loaded machine (what breaks this stays broken).
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> api.depth("jms/worker/jobs", correlationId) == 1);

        WorkerServer.setFreezeInServerXml(false);
        JsonObject reply = Api.parse(api.receive(REPLIES, correlationId).getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", reply.getString("state"));
        assertEquals("\"waited\"", api.job(reply.getString("jobId")).get("result").toString());
        assertEquals(0, api.depth("jms/worker/jobs", correlationId));
    }

    @Test
    void unfreezingWhileALongJobStillDrainsStartsQueuedJobsAndTheLongJobRunsOn() {
        // Far longer than the freeze below: the long job must still be draining, not stopped and
        // released, when the freeze is lifted.
        withSetting(LONG_STOPPING_WAIT, "<variable name=\"worker.stoppingWaitTime\" value=\"PT2M\"/>");
        try {
            String sleep = api.submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 30000, \"steps\": 30}}").json().getString("id");
            api.awaitState(sleep, "RUNNING", Duration.ofSeconds(20));
            int dispatcherStarts = WorkerServer.health("live").taskNumber("job-dispatcher", "starts");

            freeze();
            await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPING".equals(WorkerServer.health("live").taskState("job-dispatcher")));
            String echo = api.submit("{\"type\": \"echo\", \"payload\": \"queued while frozen\"}").json().getString("id");
            // The window is what is asserted; the rest of atMost only spares a slow poll on a loaded machine (what breaks this stays broken).
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> "QUEUED".equals(api.job(echo).getString("state")));

            WorkerServer.setFreezeInServerXml(false);
            JsonObject echoed = api.awaitState(echo, "SUCCEEDED", Duration.ofSeconds(20));
            JsonObject longJob = api.job(sleep);
            assertEquals("RUNNING", longJob.getString("state"), "the queued job did not wait for the long job: " + longJob);
            assertEquals("\"queued while frozen\"", echoed.get("result").toString());
            assertEquals(1, runs(longJob), "the long job was never stopped and released: " + longJob);
            WorkerServer.Health live = WorkerServer.health("live");
            assertEquals("RUNNING", live.taskState("job-dispatcher"));
            assertEquals(dispatcherStarts, live.taskNumber("job-dispatcher", "starts"), "the dispatcher carried on, it was not started again");

            JsonObject done = api.awaitState(sleep, "SUCCEEDED", Duration.ofSeconds(60));
            assertEquals(0, done.getJsonObject("result").getInt("resumedFromStep"), "it ran through the freeze in one go: " + done);
            assertEquals(1, runs(done));
        } finally {
            withoutSetting(LONG_STOPPING_WAIT);
        }
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

    /** @return how many times the job started running, from its history */
    private static long runs(JsonObject job) {
        return job.getJsonArray("history").stream()
                .filter(t -> "RUNNING".equals(t.asJsonObject().getString("state")))
                .count();
    }

    /** Adds an override and waits until the server has applied it. */
    private static void withSetting(String file, String variables) {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        WorkerServer.writeOverride(file, variables);
        awaitConfigurationUpdate(log);
    }

    private static void withoutSetting(String file) {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        WorkerServer.removeOverride(file);
        awaitConfigurationUpdate(log);
    }

    private static void awaitConfigurationUpdate(WorkerServer.Log log) {
        // CWWKG0017I: the server configuration was successfully updated
        await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream().anyMatch(l -> l.contains("CWWKG0017I")));
    }
}
