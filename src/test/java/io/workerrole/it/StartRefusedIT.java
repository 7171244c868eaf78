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

/** A start hook that returns false keeps the worker down: no tasks, not ready, not live. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StartRefusedIT {

    private static final String APP = "refused";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, GatedStartHook.class, SteadyTask.class);
    }

    @Test
    void aRefusingStartHookKeepsTheWorkerDown() {
        await().atMost(Duration.ofSeconds(30)).until(() -> WorkerServer.journal(APP).contains("start:gated:waiting"));

        WorkerServer.decideStart(APP, false);

        Health live = await().atMost(Duration.ofSeconds(10))
                .until(() -> WorkerServer.health("live"), h -> "START_FAILED".equals(h.phase()));
        assertEquals(503, live.status());
        assertEquals(503, WorkerServer.health("ready").status());
        assertEquals(503, WorkerServer.health("started").status());
        assertFalse(WorkerServer.journal(APP).contains("task:steady:start"), "no task runs when start fails");
    }
}
