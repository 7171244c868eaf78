package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holding the fleet from one place (reliability R29): two servers on one PostgreSQL job store.
 * An operator's fleet freeze, sent to one of them, holds both (readiness DOWN, liveness UP,
 * {@code "frozenBy": "fleet"}), holds a server restarted meanwhile from its start, and lifts
 * itself within a second of its {@code until}; a hold on one type holds only that type's jobs on
 * every server; a server's own {@code worker.freeze.types} holds them there only; and a frozen
 * server that stops claims nothing on its way down.
 */
@ConcurrentClass
class FleetFreezeIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    /** Twice as long as a job took from submit to start with both cores busy (bench/windows.sh): a held type that ran would show. */
    private static final Duration HELD_WINDOW = Duration.ofSeconds(2);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer first;
    private static LibertyServer second;

    @BeforeAll
    static void startTwoServers() throws Exception {
        SERVERS.createDatabase(DATABASE);
        first = server("workerHoldA");
        first.launch();
        second = server("workerHoldB").start();
        await().atMost(Duration.ofMinutes(2)).until(() -> first.status("/health/ready") == 200);
    }

    private static LibertyServer server(String name) throws Exception {
        return SERVERS.createOnPostgres(name, DATABASE, Map.of()).withDriversVisible();
    }

    @AfterEach
    void liftEverything() throws IOException {
        operator(first).delete("/api/fleet/freeze");
        operator(first).delete("/api/fleet/freeze?type=sleep");
        first.removeOverride("held-types.xml");
        first.removeOverride("freeze.xml");
        second.removeOverride("freeze.xml");
        await().atMost(Duration.ofSeconds(30)).until(() -> first.status("/health/ready") == 200 && second.status("/health/ready") == 200);
    }

    @Test
    void aFleetFreezeHoldsEveryServerAlsoOneRestartedAndIsLiftedEverywhere() throws Exception {
        Api.Answer held = operator(first).put("/api/fleet/freeze", "{\"reason\": \"bad release\"}");
        assertEquals(200, held.status(), held.body());
        // The second counts from the hold's recording in the store (the time it gives), not from the request's start.
        Instant set = Instant.parse(held.json().getJsonObject("fleet").getString("since"));
        assertEquals("operator", held.json().getJsonObject("fleet").getString("heldBy"));
        assertEquals("bad release", held.json().getJsonObject("fleet").getString("reason"));

        for (LibertyServer server : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.status("/health/ready") == 503);
            JsonObject role = server.roleHealth();
            assertTrue(role.getBoolean("frozen"), role.toString());
            assertEquals("fleet", role.getString("frozenBy"), role.toString());
            assertFalse(role.toString().contains("bad release"), "the open health tells not why: " + role);
            assertEquals(200, server.status("/health/live"), "a frozen server stays live");
            Instant frozen = lastLogTime(server, "Worker frozen (fleet freeze by operator: bad release)");
            assertTrue(Duration.between(set, frozen).compareTo(Duration.ofSeconds(1)) <= 0,
                    server.name() + " froze at " + frozen + ", the freeze was set at " + set);
        }
        String job = first.api().submit("{\"type\": \"echo\", \"payload\": \"held\"}").json().getString("id");

        second.stop();
        second.launch();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> "START_HELD".equals(second.roleHealth().getString("phase")));
        assertTrue(log(second).contains("Worker role start held: fleet freeze by operator: bad release"), "the log says why");
        assertEquals("QUEUED", first.api().job(job).getString("state"), "no server ran it");

        Api.Answer lifted = operator(second).delete("/api/fleet/freeze");
        assertEquals(200, lifted.status(), lifted.body());
        assertTrue(lifted.json().isNull("fleet"), lifted.body());
        await().atMost(Duration.ofMinutes(2)).until(() -> first.status("/health/ready") == 200 && second.status("/health/ready") == 200);
        first.api().awaitState(job, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(404, operator(first).delete("/api/fleet/freeze").status(), "nothing left to lift");
        assertTrue(log(first).contains("[audit] operator PUT /api/fleet/freeze -> 200"), "the freeze is in the audit log");
    }

    @Test
    void aFleetFreezeWithAnEndLiftsItselfWithinASecondOfIt() throws Exception {
        Instant until = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.MILLIS); // PostgreSQL keeps microseconds
        Api.Answer held = operator(second).put("/api/fleet/freeze", "{\"until\": \"" + until + "\"}");
        assertEquals(200, held.status(), held.body());
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                .until(() -> first.status("/health/ready") == 503 && second.status("/health/ready") == 503);
        assertEquals(until.toString(), first.roleHealth().getString("fleetFrozenUntil"));

        await().atMost(Duration.ofSeconds(30)).until(() -> first.status("/health/ready") == 200 && second.status("/health/ready") == 200);
        for (LibertyServer server : List.of(first, second)) {
            // As the server saw it (its log's clock), not as this test's polls did on a busy machine.
            Instant resumed = lastLogTime(server, "Worker resumed");
            assertTrue(!resumed.isBefore(until) && Duration.between(until, resumed).compareTo(Duration.ofSeconds(1)) <= 0,
                    server.name() + " resumed at " + resumed + ", its hold ended at " + until);
        }
    }

    @Test
    void aHeldTypeWaitsOnEveryServerWhileOtherTypesRun() throws Exception {
        Api.Answer held = operator(first).put("/api/fleet/freeze", "{\"types\": [\"sleep\"], \"reason\": \"downstream down\"}");
        assertEquals(200, held.status(), held.body());
        assertEquals("sleep", held.json().getJsonArray("types").getJsonObject(0).getString("type"));
        for (LibertyServer server : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "sleep".equals(server.roleHealth().getString("heldTypes", "")));
        }

        String sleep = second.api().submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 10}}").json().getString("id");
        String echo = second.api().submit("{\"type\": \"echo\", \"payload\": \"not held\"}").json().getString("id");
        first.api().awaitState(echo, "SUCCEEDED", Duration.ofSeconds(30));
        await().during(HELD_WINDOW).atMost(HELD_WINDOW.multipliedBy(5)).until(() -> "QUEUED".equals(first.api().job(sleep).getString("state")));
        assertEquals(200, first.status("/health/ready"), "a type hold freezes no server");

        assertEquals(200, operator(second).delete("/api/fleet/freeze?type=sleep").status());
        first.api().awaitState(sleep, "SUCCEEDED", Duration.ofSeconds(30));
    }

    @Test
    void aServersOwnHeldTypesHoldThemThereOnly() throws Exception {
        second.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        first.writeOverride("held-types.xml", "<variable name=\"worker.freeze.types\" value=\"sleep\"/>");
        await().atMost(Duration.ofSeconds(30)).until(() -> second.status("/health/ready") == 503
                && "sleep".equals(first.roleHealth().getString("heldTypes", "")));

        String sleep = first.api().submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 10}}").json().getString("id");
        String echo = first.api().submit("{\"type\": \"echo\", \"payload\": \"not held\"}").json().getString("id");
        first.api().awaitState(echo, "SUCCEEDED", Duration.ofSeconds(30));
        await().during(HELD_WINDOW).atMost(HELD_WINDOW.multipliedBy(5)).until(() -> "QUEUED".equals(first.api().job(sleep).getString("state")));
        assertTrue(operator(first).get("/api/fleet/freeze").json().getJsonArray("types").isEmpty(), "no fleet hold");

        second.removeOverride("freeze.xml");
        first.api().awaitState(sleep, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals("workerHoldB", first.api().job(sleep).getJsonArray("history").stream().map(JsonObject.class::cast)
                .filter(e -> "RUNNING".equals(e.getString("state"))).findFirst().orElseThrow().getString("detail").split("@")[0],
                "the server that does not hold the type ran it");
    }

    @Test
    void aFrozenServerClaimsNothingOnItsWayDown() throws Exception {
        // Liberty takes server.xml's variables away about half a second before it stops the
        // application; the worker must not read that as worker.freeze=false and claim jobs then.
        first.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        second.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        await().atMost(Duration.ofSeconds(30)).until(() -> first.status("/health/ready") == 503 && second.status("/health/ready") == 503);
        List<String> jobs = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> first.api().submit("{\"type\": \"echo\", \"payload\": " + i + "}").json().getString("id")).toList();

        second.stop();
        for (String job : jobs) {
            JsonObject view = first.api().job(job);
            assertEquals("QUEUED", view.getString("state"), view.toString());
            assertEquals(0, view.getInt("attempts"), "no server claimed it, not even on its way down: " + view);
        }
        second.removeOverride("freeze.xml");
        first.removeOverride("freeze.xml");
        second.start();
        for (String job : jobs) {
            first.api().awaitState(job, "SUCCEEDED", Duration.ofSeconds(30));
        }
    }

    private static Api operator(LibertyServer server) {
        return server.api().as(User.OPERATOR);
    }

    private static String log(LibertyServer server) throws IOException {
        return Files.readString(server.dir().resolve("logs/messages.log"));
    }

    /** Liberty's messages.log stamps lines as [12/7/26, 22:58:37:232 UTC], in the server's time zone. */
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("M/d/yy, H:mm:ss:SSS z", Locale.ROOT);

    /** @return when the server last logged a line with the text, by its log's clock (this machine's) */
    private static Instant lastLogTime(LibertyServer server, String text) throws IOException {
        String line = Files.readAllLines(server.dir().resolve("logs/messages.log")).stream().filter(l -> l.contains(text))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(server.name() + " never logged " + text));
        return ZonedDateTime.parse(line.substring(1, line.indexOf(']')), LOG_TIME).toInstant();
    }
}
