package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.BrokenTask;
import io.workerrole.it.support.Deployments;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A task that fails worker.tasks.maxConsecutiveFailures times in a row (5 on the test server) is
 * given up, and liveness goes DOWN so that an orchestrator restarts the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GivenUpTaskIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker("givenup", BrokenTask.class, SteadyTask.class);
    }

    @Test
    void aTaskFailingTooOftenInARowIsGivenUpAndLivenessGoesDown() {
        Health live = await().atMost(Duration.ofSeconds(30))
                .until(() -> WorkerServer.health("live"), h -> "FAILED".equals(h.taskState("broken")));

        assertEquals(503, live.status(), live.body().toString());
        assertEquals(5, live.taskNumber("broken", "starts"));
        assertEquals(4, live.taskNumber("broken", "restarts"));
        JsonObject broken = new Api("givenup").as(User.VIEWER).get("/api/role").json().getJsonArray("tasks").stream()
                .map(JsonObject.class::cast).filter(t -> "broken".equals(t.getString("name"))).findFirst().orElseThrow();
        assertEquals("java.lang.IllegalStateException: broken on purpose", broken.getString("lastError"), "a job-viewer reads why");
        assertFalse(live.body().toString().contains("broken on purpose"), "the open health does not");
        assertEquals("RUNNING", live.taskState("steady"), "the other tasks keep running");
    }
}
