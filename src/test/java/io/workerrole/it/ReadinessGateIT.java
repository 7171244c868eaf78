package io.workerrole.it;

import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.GatedStartHook;
import io.workerrole.it.support.SteadyTask;
import io.workerrole.it.support.WorkerServer;
import io.workerrole.it.support.WorkerServer.Health;
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

/** Readiness stays DOWN, and no task runs, until the start hooks return true. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ReadinessGateIT {

    private static final String APP = "gated";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, GatedStartHook.class, SteadyTask.class);
    }

    @Test
    void readinessWaitsForTheStartHooks() {
        await().atMost(Duration.ofSeconds(30)).until(() -> WorkerServer.journal(APP).contains("start:gated:waiting"));

        Health ready = WorkerServer.health("ready");
        assertEquals(503, ready.status());
        assertEquals("STARTING", ready.phase());
        assertEquals(503, WorkerServer.health("started").status());
        assertEquals(200, WorkerServer.health("live").status(), "a starting worker is alive");
        assertFalse(WorkerServer.journal(APP).contains("task:steady:start"), "no task runs before start returns");

        WorkerServer.decideStart(APP, true);

        Health started = await().atMost(Duration.ofSeconds(10))
                .until(() -> WorkerServer.health("ready"), h -> h.status() == 200);
        assertEquals("RUNNING", started.phase());
        await().atMost(Duration.ofSeconds(10)).until(() -> WorkerServer.journal(APP).contains("task:steady:start"));
    }
}
