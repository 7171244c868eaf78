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
import java.time.Instant;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bounded growth on the running server: with the retention an admin set (here seconds, through
 * an override the server picks up live), finished jobs go with their history, each state after
 * its own retention, while a job that will run again (waiting for its next attempt) stays.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RetentionIT {

    private static final String APP = "retention";
    private static final String OVERRIDE = "retention-it.xml";
    /** A failed fail job waits an hour for its next attempt: live, and not running meanwhile. */
    private static final String SLOW_RETRIES = "<variable name=\"worker.retry.backoff.fail\" value=\"PT1H\"/>"
            + "<variable name=\"worker.retry.maxBackoff.fail\" value=\"PT1H\"/>";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @AfterEach
    void defaultRetention() {
        WorkerServer.removeOverride(OVERRIDE);
    }

    /** @return a fail job that failed once and waits at least ten minutes for its next attempt, or null */
    private String aJobFailedOnceThatWaitsLong() {
        String id = api.submit("{\"type\": \"fail\", \"payload\": {\"message\": \"once\", \"times\": 1}}").json().getString("id");
        JsonObject job = await().atMost(Duration.ofSeconds(30)).until(() -> api.job(id),
                j -> !"QUEUED".equals(j.getString("state")) && !"RUNNING".equals(j.getString("state")));
        boolean waitsLong = "FAILED".equals(job.getString("state"))
                && Instant.parse(job.getString("nextAttemptAt")).isAfter(Instant.now().plus(Duration.ofMinutes(10)));
        return waitsLong ? id : null;
    }

    @Test
    void finishedJobsAreDeletedAfterTheirRetentionAndLiveOnesStay() {
        WorkerServer.writeOverride(OVERRIDE, SLOW_RETRIES);
        // dies at its first attempt: retrying cannot make a missing file appear
        String dead = api.submit("{\"type\": \"thumbnail\", \"payload\": {\"path\": \"no/such-" + UUID.randomUUID() + ".png\"}}")
                .json().getString("id");
        // The server applies the override within a second or so: until then a failed job retries at once
        String waiting = await().atMost(Duration.ofSeconds(30)).until(this::aJobFailedOnceThatWaitsLong, id -> id != null);
        String succeeded = api.submit("{\"type\": \"echo\", \"payload\": \"short-lived\"}").json().getString("id");
        api.awaitState(succeeded, "SUCCEEDED", Duration.ofSeconds(30));

        WorkerServer.writeOverride(OVERRIDE, """
                %s
                <variable name="worker.jobs.retention" value="PT2S"/>
                <variable name="worker.jobs.deadRetention" value="PT1H"/>""".formatted(SLOW_RETRIES));
        // The first sweep also deletes what the earlier tests of this run left: up to a minute
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/jobs/" + succeeded).status() == 404);
        assertEquals("FAILED", api.job(waiting).getString("state"), "a job waiting for its next attempt is never deleted");

        api.awaitState(dead, "DEAD", Duration.ofSeconds(30));
        assertEquals(200, api.get("/api/jobs/" + dead).status(), "a dead job has a retention of its own");
        WorkerServer.writeOverride(OVERRIDE, """
                %s
                <variable name="worker.jobs.retention" value="PT2S"/>
                <variable name="worker.jobs.deadRetention" value="PT2S"/>""".formatted(SLOW_RETRIES));
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/jobs/" + dead).status() == 404);
        assertEquals("FAILED", api.job(waiting).getString("state"));
    }

    @Test
    void endedPipelineRunsAreDeletedAfterTheRetentionAndRunsUnderWayStay() {
        assertEquals(2, api.put("/api/pipelines/kept", "{\"steps\": [{\"type\": \"echo\"}]}").status() / 100);
        assertEquals(2, api.put("/api/pipelines/waiting", "{\"steps\": [{\"type\": \"sleep\"}]}").status() / 100);
        String ended = api.post("/api/pipelines/kept/runs", "application/json", "{\"payload\": 1}".getBytes()).json().getString("id");
        String underWay = api.post("/api/pipelines/waiting/runs", "application/json", "{\"payload\": {\"ms\": 600000}}".getBytes())
                .json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/pipelines/runs/" + ended).json().getString("state").equals("SUCCEEDED"));

        WorkerServer.writeOverride(OVERRIDE, "<variable name=\"worker.jobs.retention\" value=\"PT2S\"/>");
        // the pipelines' supervisor deletes them, at one of its firings (every 10 s)
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/pipelines/runs/" + ended).status() == 404);
        assertEquals("RUNNING", api.get("/api/pipelines/runs/" + underWay).json().getString("state"));
        assertEquals(202, api.post("/api/pipelines/runs/" + underWay + "/cancel", "application/json", new byte[0]).status());
    }
}
