package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful server stop with a long job running (reliability matrix R3): the job gets the
 * stopping wait time, is then interrupted and put back in the queue with its checkpoint (not
 * marked failed, no attempt lost), and resumes from it after the restart.
 */
@ConcurrentClass
class GracefulStopIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServer() throws Exception {
        server = SERVERS.create("workerStopIT", Map.of("worker.stoppingWaitTime", "PT2S")).start();
        api = server.api();
    }

    @Test
    void aLongJobOutlastingTheWaitIsPutBackAndResumesAfterRestart() throws Exception {
        String id = api.submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 20000, \"steps\": 20}}").json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.job(id).containsKey("checkpoint")
                && api.job(id).getJsonObject("checkpoint").getInt("step") >= 2);

        server.stop();
        List<String> log = Files.readAllLines(server.dir().resolve("logs/messages.log"));
        assertTrue(log.stream().anyMatch(l -> l.contains("[job " + id + " sleep] stopped with the worker; back in the queue")),
                "the job was put back, not failed");
        server.start();

        JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= 2, done.toString());
        assertEquals(1, done.getInt("attempts"), "a stop is not a failed attempt");
        assertTrue(done.getJsonArray("history").stream().noneMatch(t -> "FAILED".equals(t.asJsonObject().getString("state"))),
                "never marked failed: " + done.getJsonArray("history"));
    }
}
