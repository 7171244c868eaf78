package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.Schedules;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules survive a server restart, and the firings that fell while it was down follow each
 * schedule's missed-firings policy: RUN_ONCE runs one job for them all, SKIP runs none; both
 * are recorded as MISSED, and the schedules go on at their next firing.
 */
@ConcurrentClass
class ScheduleRestartIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;
    private static Schedules schedules;

    @BeforeAll
    static void startServer() throws Exception {
        server = SERVERS.create("workerScheduleRestartIT", Map.of("worker.schedules.syncInterval", "PT1S")).start();
        api = server.api();
        schedules = new Schedules(api);
    }

    @Test
    void schedulesSurviveARestartAndMissedFiringsFollowTheirPolicy() {
        schedules.create("{\"name\": \"owed\", \"every\": \"PT1S\", \"type\": \"echo\", \"missed\": \"RUN_ONCE\"}");
        schedules.create("{\"name\": \"not-owed\", \"every\": \"PT1S\", \"type\": \"echo\", \"missed\": \"SKIP\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !schedules.firings("owed", "RAN").isEmpty()
                && !schedules.firings("not-owed", "RAN").isEmpty());
        // Made just before the stop, so that its instant falls while the server is down however long
        // the first firings above took on a busy machine.
        schedules.create("{\"name\": \"one-shot\", \"after\": \"PT6S\", \"type\": \"echo\", \"payload\": \"once\"}");
        assertTrue(schedules.firings("one-shot", null).isEmpty(), "the one-shot is due later");

        server.stop();
        Instant stopped = Instant.now();
        // Down for several periods, and past the one-shot's instant.
        await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> Instant.now().isAfter(stopped.plusSeconds(6)));
        server.start();
        Instant restarted = Instant.now();

        // (pipeline-supervisor is the worker's own, declared in code)
        assertEquals(List.of("not-owed", "one-shot", "owed", "pipeline-supervisor"),
                schedules.all().stream().map(s -> s.getString("name")).sorted().toList(), "the schedules are still there");

        JsonObject owed = await().atMost(Duration.ofSeconds(20)).until(() -> schedules.firings("owed", "MISSED"), f -> !f.isEmpty()).get(0);
        assertTrue(owed.getString("detail").contains("RUN_ONCE"), owed.toString());
        assertTrue(owed.getString("detail").matches("(?s)\\d+ firings missed.*"), owed.toString());
        assertEquals("SUCCEEDED", api.awaitState(owed.getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30)).getString("state"));

        JsonObject notOwed = await().atMost(Duration.ofSeconds(20)).until(() -> schedules.firings("not-owed", "MISSED"), f -> !f.isEmpty()).get(0);
        assertTrue(notOwed.getString("detail").contains("SKIP"), notOwed.toString());
        assertFalse(notOwed.containsKey("jobId"), "SKIP runs nothing for the missed firings");

        JsonObject oneShot = await().atMost(Duration.ofSeconds(20)).until(() -> schedules.firings("one-shot", null), f -> !f.isEmpty()).get(0);
        assertEquals("MISSED", oneShot.getString("outcome"));
        JsonObject ranOnce = api.awaitState(oneShot.getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals("once", ranOnce.getString("result"));

        for (String name : List.of("owed", "not-owed")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> schedules.firings(name, "RAN").stream()
                    .anyMatch(f -> Instant.parse(f.getString("scheduledFor")).isAfter(restarted)));
            assertEquals(1, schedules.firings(name, "MISSED").size(), name + ": the downtime is recorded once");
        }
        assertEquals(1, schedules.firings("one-shot", null).size(), "a one-shot fires once");
    }
}
