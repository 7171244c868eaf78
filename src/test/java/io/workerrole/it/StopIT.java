package io.workerrole.it;

import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.FirstHook;
import io.workerrole.it.support.LingeringTask;
import io.workerrole.it.support.SecondHook;
import io.workerrole.it.support.StubbornTask;
import io.workerrole.it.support.WorkerServer;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stop (here: undeploy) drains running work within worker.stoppingWaitTime (PT3S on the test
 * server), interrupts what outruns it, then runs the stop hooks in reverse order. What happens
 * after the application is gone is read from the server's messages.log.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StopIT {

    private static final long WAIT_MS = 3_000;
    /** How long a stop waits for an interrupted task to return (RoleLifecycle.INTERRUPT_GRACE). */
    private static final long INTERRUPT_GRACE_MS = 2_000;
    private static final Pattern STOPPED = Pattern.compile(
            "Worker role stopped in (\\d+) ms \\(stopping wait time PT3S\\): (\\d+) task\\(s\\) finished, (\\d+) interrupted, (\\d+) did not stop");

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "lingering", managed = false, testable = false)
    static WebArchive lingering() {
        return Deployments.worker("lingering", FirstHook.class, SecondHook.class, LingeringTask.class);
    }

    @Deployment(name = "stubborn", managed = false, testable = false)
    static WebArchive stubborn() {
        return Deployments.worker("stubborn", StubbornTask.class);
    }

    @Test
    void stopWaitsForRunningWorkToFinishThenRunsStopHooksInReverse() {
        List<String> log = deployRunAndUndeploy("lingering", "lingering");
        Matcher stopped = stoppedLine(log);

        assertEquals("0", stopped.group(3), "nothing interrupted: every task finished by itself");
        assertEquals("0", stopped.group(4));
        // That it finished within the wait time is the outcome above (nothing interrupted); how
        // long the stop took beyond the task's last second depends on the load.
        long tookMs = Long.parseLong(stopped.group(1));
        assertTrue(tookMs >= 1_000, "stop waited for the task's last second of work: " + tookMs + " ms");
        assertInOrder(log, "lingering task finished its last unit of work", "Task lingering stopped",
                "Stop hook SecondHook done", "Stop hook FirstHook done", "Worker role stopped in");
    }

    @Test
    void stopInterruptsWorkThatOutrunsTheStoppingWaitTime() {
        List<String> log = deployRunAndUndeploy("stubborn", "stubborn");
        Matcher stopped = stoppedLine(log);

        assertEquals("1", stopped.group(3), "the stubborn task, and only it, was interrupted");
        assertEquals("0", stopped.group(4), "and it returned when interrupted");
        long tookMs = Long.parseLong(stopped.group(1));
        assertTrue(tookMs >= WAIT_MS, "stop waited the stopping wait time: " + tookMs + " ms");
        // The bound is the behaviour: a task that ignores the stop does not hold it up beyond the
        // wait time (then it is interrupted, and given INTERRUPT_GRACE, 2 s, to return). The
        // margin beyond that is wide, for a busy machine; it still tells a stop that gave up on
        // the task from one that waited for it (the task never returns by itself).
        assertTrue(tookMs < WAIT_MS + INTERRUPT_GRACE_MS + 10_000, "stop gave up on the task after the wait time: " + tookMs + " ms");
        assertInOrder(log, "Task stubborn did not stop within the stopping wait time", "stubborn task interrupted", "Worker role stopped in");
    }

    private List<String> deployRunAndUndeploy(String deployment, String task) {
        deployer.deploy(deployment);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> WorkerServer.health("ready"), h -> h.status() == 200 && "RUNNING".equals(h.taskState(task)));
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        deployer.undeploy(deployment);
        return await().atMost(Duration.ofSeconds(30))
                .until(log::lines, lines -> lines.stream().anyMatch(l -> l.contains("Worker role stopped in")));
    }

    private static Matcher stoppedLine(List<String> log) {
        return log.stream().map(STOPPED::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no stop summary in " + log));
    }

    private static void assertInOrder(List<String> log, String... fragments) {
        int at = -1;
        for (String fragment : fragments) {
            int next = -1;
            for (int i = at + 1; i < log.size(); i++) {
                if (log.get(i).contains(fragment)) {
                    next = i;
                    break;
                }
            }
            assertTrue(next > at, "expected '" + fragment + "' after line " + at + " in:\n" + String.join("\n", log));
            at = next;
        }
    }
}
