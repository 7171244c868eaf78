package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.Schedules;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the dashboard reads and does besides the rest of the API, over HTTP on a real worker:
 * the overview's figures after known work, the caller's roles, dead letters grouped by error
 * and requeued a group at a time, the listing's filters on time and error, and a schedule run
 * now. The jobs are built-in {@code fail} jobs with an error of this run's own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DashboardApiIT {

    private static final String APP = "dashboardapi";
    private static final Duration DEATH = Duration.ofSeconds(60);
    private final Api api = new Api(APP);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void theOverviewCountsTheJobsThatDiedInTheMinuteTheyDied() {
        JsonObject before = overview();
        List<String> dead = IntStream.range(0, 2).mapToObj(i -> failing("overview " + run)).toList();
        dead.forEach(id -> api.awaitState(id, "DEAD", DEATH));

        JsonObject after = overview();
        assertEquals("RUNNING", after.getString("phase"));
        assertFalse(after.getBoolean("frozen"));
        assertTrue(after.getJsonObject("counts").getJsonNumber("DEAD").longValue() >= before.getJsonObject("counts").getJsonNumber("DEAD").longValue() + 2,
                after.toString());
        List<JsonObject> minutes = after.getJsonArray("perMinute").getValuesAs(JsonObject.class);
        assertEquals(60, minutes.size());
        Instant at = Instant.parse(after.getString("at"));
        assertEquals(at.truncatedTo(ChronoUnit.MINUTES), Instant.parse(minutes.get(59).getString("minute")), "the last minute is this one");
        assertTrue(deadInTheHour(after) >= deadInTheHour(before) + 2, "both deaths are in the chart: " + minutes);
        assertTrue(after.getJsonArray("servers").getValuesAs(JsonObject.class).stream()
                .anyMatch(server -> server.getString("serverId").equals(after.getString("server")) && !server.getBoolean("gone")), after.toString());
        assertTrue(after.get("queues").getValueType() == JsonValue.ValueType.ARRAY);
    }

    @Test
    void theCallerSeesTheRolesTheyHold() {
        assertEquals(List.of("job-viewer"), roles(User.VIEWER));
        assertEquals(List.of("job-viewer", "job-operator"), roles(User.OPERATOR));
        assertEquals(List.of("job-viewer", "job-submitter", "job-operator", "job-admin"), roles(User.ADMIN));
        assertEquals("viewer", api.as(User.VIEWER).get("/api/me").json().getString("user"));
        assertEquals(403, api.as(User.SUBMITTER).get("/api/me").status(), "the dashboard is for viewers");
    }

    @Test
    void deadJobsAreGroupedByErrorAndOneGroupIsRequeuedAlone() {
        List<String> timeouts = List.of(failing("timeout " + run), failing("timeout " + run));
        String refused = failing("refused " + run);
        timeouts.forEach(id -> api.awaitState(id, "DEAD", DEATH));
        api.awaitState(refused, "DEAD", DEATH);
        String error = api.job(timeouts.get(0)).getString("error");

        JsonObject group = groups().stream().filter(g -> g.getString("error", "").equals(error)).findFirst().orElseThrow();
        assertEquals("fail", group.getString("type"));
        assertEquals(2, group.getInt("count"));
        assertEquals(1, groups().stream().filter(g -> g.getString("error", "").contains("refused " + run)).findFirst().orElseThrow().getInt("count"));

        Answer requeued = api.as(User.OPERATOR).post("/api/jobs/requeue?type=fail&error=" + encode(error), "application/json", new byte[0]);
        assertEquals(200, requeued.status(), requeued.body());
        assertEquals(2, requeued.json().getInt("requeued"));
        timeouts.forEach(id -> assertTrue(api.job(id).getJsonArray("history").toString().contains("requeued by an admin"), id));
        assertEquals("DEAD", api.job(refused).getString("state"), "the other group stays dead");
    }

    @Test
    void theListingFiltersOnTheErrorsTextAndTheTimeRecorded() {
        Instant before = Instant.now().minusSeconds(1);
        String id = failing("Needle " + run);
        api.awaitState(id, "DEAD", DEATH);

        assertEquals(List.of(id), ids("/api/jobs?type=fail&errorContains=" + encode("needle " + run)), "in any case");
        assertEquals(List.of(id), ids("/api/jobs?type=fail&errorContains=" + encode("needle " + run) + "&from=" + before));
        assertEquals(List.of(), ids("/api/jobs?type=fail&errorContains=" + encode("needle " + run) + "&to=" + before));

        Answer bad = api.get("/api/jobs?from=yesterday");
        assertEquals(400, bad.status());
        assertTrue(bad.json().getString("message").contains("from must be an ISO-8601 instant"), bad.body());
    }

    @Test
    void aScheduleRunNowStartsItsJobAndAPausedOneIsRefused() {
        String name = "yearly-" + run;
        new Schedules(api).create("{\"name\": \"" + name + "\", \"cron\": \"0 0 0 1 1 *\", \"zone\": \"UTC\", \"type\": \"echo\", \"payload\": {\"run\": \""
                + run + "\"}}");

        Answer ran = api.as(User.OPERATOR).post("/api/schedules/" + name + "/run", "application/json", new byte[0]);
        assertEquals(200, ran.status(), ran.body());
        assertEquals("RAN", ran.json().getString("outcome"));
        JsonObject job = api.awaitState(ran.json().getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(run, job.getJsonObject("result").getString("run"));
        assertEquals(ran.json().getString("jobId"), new Schedules(api).firings(name, "RAN").get(0).getString("jobId"), "in its history");

        new Schedules(api).pause(name);
        Answer paused = api.as(User.OPERATOR).post("/api/schedules/" + name + "/run", "application/json", new byte[0]);
        assertEquals(409, paused.status());
        assertTrue(paused.json().getString("message").contains("paused"), paused.body());
        assertEquals(404, api.post("/api/schedules/no-such-" + run + "/run", "application/json", new byte[0]).status());
    }

    private String failing(String message) {
        Answer answer = api.submit("{\"type\": \"fail\", \"payload\": {\"message\": \"" + message + "\"}}");
        assertEquals(202, answer.status(), answer.body());
        return answer.json().getString("id");
    }

    private JsonObject overview() {
        Answer answer = api.as(User.VIEWER).get("/api/overview");
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    private static long deadInTheHour(JsonObject overview) {
        return overview.getJsonArray("perMinute").getValuesAs(JsonObject.class).stream().mapToLong(m -> m.getJsonNumber("DEAD").longValue()).sum();
    }

    private List<String> roles(User user) {
        return api.as(user).get("/api/me").json().getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
    }

    private List<JsonObject> groups() {
        return api.as(User.VIEWER).get("/api/jobs/dead-groups?limit=500").json().getJsonArray("groups").getValuesAs(JsonObject.class);
    }

    private List<String> ids(String path) {
        return api.get(path).json().getJsonArray("jobs").getValuesAs(JsonObject.class).stream().map(j -> j.getString("id")).toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
