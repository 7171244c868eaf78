package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.FixableStartHook;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restart loop the freeze is for (R31): a role whose start fails is restarted again and
 * again, and the admin freezes it. Frozen, the start hooks wait and none runs; liveness is UP (no
 * orchestrator restarts the worker), readiness DOWN. Unfrozen with the cause fixed, the start runs
 * and the worker is ready, without a restart. The broken hook ({@link FixableStartHook}) runs
 * last, so that a start tried again runs every hook of the worker's own a second time. Its error
 * is in the log and at {@code /api/role} for a job-viewer, never in the open {@code /health}.
 */
@ConcurrentClass
class FreezeAtStartIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Path broken;

    @BeforeAll
    static void createServer() throws Exception {
        server = SERVERS.create("workerFreezeAtStartIT", Map.of());
        server.withHandlerLibrary(FixableStartHook.class);
        broken = server.dir().resolve("start-hook-broken").toAbsolutePath();
        server.writeOverride("hook.xml", "<variable name=\"" + FixableStartHook.BROKEN_FILE + "\" value=\"" + broken + "\"/>");
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void aServerStartedFrozenWithABrokenStartHookStaysLiveRunsNoHookAndStartsOnceFixedAndUnfrozen() throws Exception {
        breakHook();
        freeze(true);
        server.launch();
        Api api = server.api();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> "START_HELD".equals(roleCheck(api, "live").getString("phase")));
        // The role looks at the flag every 250 ms and a change counts once it has held for 1 s
        // (RoleLifecycle.TICK, START_SETTLE_TIME): a hold that let the start through would show
        // within two seconds; ten leave margin for a loaded machine (the config-change latencies
        // of bench/windows.sh).
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api.get("/health/live").status() == 200 && api.get("/health/ready").status() == 503
                        && "START_HELD".equals(roleCheck(api, "live").getString("phase")) && hookRuns() == 0);
        assertTrue(roleCheck(api, "ready").getBoolean("frozen"));
        List<String> hookLines = log().stream().filter(line -> line.contains("Start hook ")).toList();
        assertEquals(List.of(), hookLines, "no start hook of the worker ran while frozen");
        assertTrue(log().stream().anyMatch(line -> line.contains("Worker role start held: worker.freeze=true")), "the log says why");

        Files.delete(broken);
        freeze(false);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> api.get("/health/ready").status() == 200);
        assertEquals("RUNNING", roleCheck(api, "ready").getString("phase"));
        assertEquals(1, hookRuns(), "unfrozen, the start ran once");
        JsonObject role = api.as(User.VIEWER).get("/api/role").json();
        assertEquals(1, role.getInt("startAttempts"), role.toString());
        assertEquals(0, role.getJsonArray("startProblems").size(), role.toString());
    }

    @Test
    void aStartThatFailedIsNotLiveUntilFrozenThenHeldAndTriedAgainWhenUnfrozen() throws Exception {
        breakHook();
        freeze(false);
        server.launch();
        Api api = server.api();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> "START_FAILED".equals(roleCheck(api, "live").getString("phase")));
        assertEquals(503, api.get("/health/live").status(), "a failed start is not live: an orchestrator restarts it");
        assertEquals(503, api.get("/health/ready").status());
        assertEquals(1, hookRuns());
        assertTrue(log().stream().anyMatch(line -> line.contains("Start hook") && line.contains("done")),
                "the worker's own hooks ran before the broken one");

        String openHealth = api.anonymous().get("/health").body();
        assertFalse(openHealth.contains("broken on purpose") || openHealth.contains("db.internal.example"),
                "the open health shows no error text: " + openHealth);
        assertEquals(401, api.anonymous().get("/api/role").status());
        JsonObject role = api.as(User.VIEWER).get("/api/role").json();
        assertEquals("START_FAILED", role.getString("phase"));
        assertTrue(role.getJsonArray("startProblems").toString().contains(FixableStartHook.ERROR), "a job-viewer reads why: " + role);
        assertTrue(log().stream().anyMatch(line -> line.contains(FixableStartHook.ERROR)), "and the log says it");

        freeze(true);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/health/live").status() == 200);
        JsonObject held = roleCheck(api, "live");
        assertEquals("START_HELD", held.getString("phase"), held.toString());
        assertTrue(held.getBoolean("frozen"));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/health/live").status() == 200 && api.get("/health/ready").status() == 503 && hookRuns() == 1);

        Files.delete(broken);
        freeze(false);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> api.get("/health/ready").status() == 200);
        assertEquals(2, hookRuns(), "unfrozen, the start was tried once more");
        JsonObject started = api.as(User.VIEWER).get("/api/role").json();
        assertEquals("RUNNING", started.getString("phase"));
        assertEquals(2, started.getInt("startAttempts"));
        assertEquals(0, started.getJsonArray("startProblems").size(), started.toString());
        Api.Answer job = api.submit("{\"type\": \"echo\", \"payload\": \"after the second start\"}");
        assertEquals(202, job.status(), job.body());
        api.awaitState(job.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(30));
    }

    @Test
    void aServerStoppedWhileItsStartIsHeldRunsNoHook() throws Exception {
        breakHook();
        freeze(true);
        server.launch();
        Api api = server.api();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> "START_HELD".equals(roleCheck(api, "live").getString("phase")));

        server.stop(); // Liberty shows worker.freeze at its default (false) while it shuts down

        assertEquals(0, hookRuns(), "the held start did not run on the way down");
        assertEquals(List.of(), log().stream().filter(line -> line.contains("Start hook ")).toList());
        assertTrue(log().stream().anyMatch(line -> line.contains("Worker role stopped")), "the role stopped: " + log());
    }

    /** Breaks the hook for the next launch, with no runs counted and no log of an earlier launch. */
    private static void breakHook() throws IOException {
        Files.deleteIfExists(server.dir().resolve("logs/messages.log"));
        Files.writeString(broken, "broken\n");
        Files.deleteIfExists(FixableStartHook.runsFile(broken));
    }

    private static void freeze(boolean frozen) throws IOException {
        server.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"" + frozen + "\"/>");
    }

    private static int hookRuns() {
        Path runs = FixableStartHook.runsFile(broken);
        try {
            return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> log() throws IOException {
        Path log = server.dir().resolve("logs/messages.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static JsonObject roleCheck(Api api, String which) {
        return api.get("/health/" + which).json().getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> "worker-role".equals(c.getString("name"))).findFirst().orElseThrow().getJsonObject("data");
    }
}
