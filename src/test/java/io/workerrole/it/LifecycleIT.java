package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.FirstHook;
import io.workerrole.it.support.FlakyTask;
import io.workerrole.it.support.SecondHook;
import io.workerrole.it.support.SteadyTask;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import io.workerrole.it.support.WorkerServer.Health;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role's start and run: hooks in order before any task, tasks supervised and restarted. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LifecycleIT {

    private static final String APP = "lifecycle";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, FirstHook.class, SecondHook.class, SteadyTask.class, FlakyTask.class);
    }

    @Test
    void startHooksRunInPriorityOrderBeforeAnyTaskStarts() {
        List<String> journal = await().atMost(Duration.ofSeconds(30))
                .until(() -> WorkerServer.journal(APP), j -> j.contains("task:steady:start"));

        int first = journal.indexOf("start:first");
        int second = journal.indexOf("start:second");
        int task = journal.indexOf("task:steady:start");
        assertTrue(first >= 0 && first < second && second < task,
                "expected start:first, start:second, then the task; journal was " + journal);
        assertTrue(journal.stream().filter(e -> e.startsWith("task:flaky:start")).allMatch(e -> journal.indexOf(e) > second),
                "no task may start before the start hooks are done: " + journal);
    }

    @Test
    void readyOnceStartedWithEveryTaskReported() {
        Health ready = await().atMost(Duration.ofSeconds(30))
                .until(() -> WorkerServer.health("ready"), h -> h.status() == 200);

        assertEquals("RUNNING", ready.phase());
        assertEquals(false, ready.frozen());
        assertEquals("RUNNING", ready.taskState("steady"));
        assertEquals(200, WorkerServer.health("started").status());
        assertEquals(200, WorkerServer.health("live").status());
    }

    @Test
    void aTaskThatThrowsIsRestartedWithBackoff() {
        Health live = await().atMost(Duration.ofSeconds(30))
                .until(() -> WorkerServer.health("live"),
                        h -> h.taskNumber("flaky", "restarts") == 2 && "RUNNING".equals(h.taskState("flaky")));

        assertEquals(200, live.status(), "restarted tasks keep the worker live: " + live.body());
        assertEquals(3, live.taskNumber("flaky", "starts"));
        assertTrue(flaky().getString("lastError").contains("flaky failure 2"), flaky().toString());
        assertTrue(WorkerServer.journal(APP).contains("task:flaky:start:3:restarts=2"),
                "the task sees its restart count: " + WorkerServer.journal(APP));
        assertEquals(1, live.taskNumber("steady", "starts"), "a failing task must not disturb the others");
    }

    @Test
    void theOpenHealthShowsNoTaskErrorWhichAJobViewerReadsAtApiRole() {
        await().atMost(Duration.ofSeconds(30)).until(() -> WorkerServer.health("live").taskNumber("flaky", "restarts") >= 1);

        for (String which : List.of("", "/live", "/ready", "/started")) {
            String open = new Api(WorkerServer.uri("").toString(), "").anonymous().get("/health" + which).body();
            assertFalse(open.contains("flaky failure"), "/health" + which + " shows no task error to anyone: " + open);
            assertFalse(open.contains("lastError"), "/health" + which + ": " + open);
        }
        assertEquals(401, new Api(APP).anonymous().get("/api/role").status());
        assertEquals(403, new Api(APP).as(User.SUBMITTER).get("/api/role").status());
        JsonObject role = new Api(APP).as(User.VIEWER).get("/api/role").json();
        assertEquals("RUNNING", role.getString("phase"));
        assertEquals(1, role.getInt("startAttempts"));
        assertTrue(role.getJsonArray("tasks").toString().contains("flaky failure"), role.toString());
    }

    /** @return the flaky task as a job-viewer reads it at /api/role */
    private static JsonObject flaky() {
        return new Api(APP).as(User.VIEWER).get("/api/role").json().getJsonArray("tasks").stream()
                .map(JsonObject.class::cast).filter(t -> "flaky".equals(t.getString("name"))).findFirst().orElseThrow();
    }
}
