package io.workerrole.it;

import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.SteadyTask;
import io.workerrole.it.support.WorkerServer;
import io.workerrole.it.support.WorkerServer.Health;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The freeze flag, toggled the way an admin does it: by editing the running server's
 * server.xml. Frozen: work stops and stays stopped, readiness DOWN, liveness UP. Unfrozen:
 * work resumes within seconds with no restart.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FreezeIT {

    private static final String APP = "freeze";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, SteadyTask.class);
    }

    @AfterEach
    void unfreeze() {
        WorkerServer.setFreezeInServerXml(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !WorkerServer.health("live").frozen());
    }

    @Test
    void freezingInServerXmlHoldsWorkAndUnfreezingResumesIt() {
        await().atMost(Duration.ofSeconds(30)).until(() -> WorkerServer.health("ready").status() == 200);

        WorkerServer.setFreezeInServerXml(true);

        Health frozen = await().atMost(Duration.ofSeconds(10))
                .until(() -> WorkerServer.health("ready"), h -> h.status() == 503 && "HELD".equals(h.taskState("steady")));
        assertTrue(frozen.frozen());
        assertEquals("RUNNING", frozen.phase(), "freezing is not stopping");
        assertTrue(WorkerServer.journal(APP).contains("task:steady:stop"), "the task was asked to stop and did");
        Health live = WorkerServer.health("live");
        assertEquals(200, live.status(), "a frozen worker stays live so that nothing restarts it");
        assertTrue(live.frozen());

        // While frozen, nothing starts again.
        // The window is what is asserted; the rest of atMost only spares a slow poll on a loaded machine (what breaks this stays broken).
        // A held task ran again within 1.2 s of an unfreeze with both cores busy (bench/windows.sh): 3 s is 2.5 times that.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                .until(() -> WorkerServer.health("live"), h -> "HELD".equals(h.taskState("steady")) && h.taskNumber("steady", "starts") == 1);

        WorkerServer.setFreezeInServerXml(false);

        Health resumed = await().atMost(Duration.ofSeconds(10))
                .until(() -> WorkerServer.health("ready"), h -> h.status() == 200);
        assertEquals(false, resumed.frozen());
        await().atMost(Duration.ofSeconds(5)).until(() -> WorkerServer.health("live"),
                h -> "RUNNING".equals(h.taskState("steady")) && h.taskNumber("steady", "starts") == 2);
        assertEquals(0, WorkerServer.health("live").taskNumber("steady", "restarts"), "a hold is not a failure");
    }
}
