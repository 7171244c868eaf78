package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.Schedules;
import io.workerrole.it.support.StoredFirings;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers sharing one PostgreSQL database (reliability matrix R12, R13): a singleton
 * schedule runs exactly once per firing, a per-server schedule once per firing on each server;
 * when one server is killed, the other goes on firing the singleton (each instant is claimed by
 * whichever server fires it first: there is no singleton lease to wait for) and takes over the
 * killed server's running jobs within the lease (at once by its presence lock, TakeoverIT), from
 * their checkpoints. Each server lists
 * both in {@code GET /api/servers} while they run, and the survivor lists the killed one as gone
 * once its heartbeat is older than the lease.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ConcurrentClass
class TwoServersIT {

    private static final Duration LEASE = Duration.ofSeconds(5);
    /** Each server's worker.concurrency: different, so that each one's heartbeat is seen to carry its own. */
    private static final Map<String, Integer> CONCURRENCY = Map.of("workerSingletonA", 16, "workerSingletonB", 12);

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    private static final StoredFirings FIRINGS = new StoredFirings(DATABASE);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer first;
    private static LibertyServer second;

    @BeforeAll
    static void startTwoServersOnOneDatabase() throws Exception {
        SERVERS.createDatabase(DATABASE);
        first = server("workerSingletonA").start();
        second = server("workerSingletonB").start();
    }

    private static LibertyServer server(String name) throws Exception {
        return SERVERS.createOnPostgres(name, DATABASE, Map.of(
                "worker.concurrency", CONCURRENCY.get(name).toString(),
                "worker.lease", LEASE.toString(),
                "worker.schedules.syncInterval", "PT1S"));
    }

    @Test
    void aPipelinePostedOnOneServerRunsOnBothAndItsFanOutJoinsOnce() {
        Api firstApi = new Api(first.uri("").toString(), "");
        Api secondApi = new Api(second.uri("").toString(), "");
        assertEquals(201, firstApi.put("/api/pipelines/spread", "{\"steps\": [{\"type\": \"echo\", \"name\": \"split\"}, "
                + "{\"type\": \"sleep\", \"fanOut\": true}, {\"type\": \"echo\", \"name\": \"join\"}]}").status());
        String branches = IntStream.range(0, 48).mapToObj(i -> "{\"ms\": 1000}").collect(Collectors.joining(", ", "[", "]"));

        String id = secondApi.post("/api/pipelines/spread/runs", "application/json", ("{\"payload\": " + branches + "}").getBytes())
                .json().getString("id");

        JsonObject done = await().atMost(Duration.ofSeconds(90)).until(() -> firstApi.get("/api/pipelines/runs/" + id).json(),
                run -> run.containsKey("finishedAt"));
        assertEquals("SUCCEEDED", done.getString("state"), done.toString());
        assertEquals(48, done.getJsonArray("result").size());
        List<JsonObject> steps = done.getJsonArray("steps").getValuesAs(JsonObject.class);
        assertEquals(1, steps.get(2).getJsonArray("jobs").size(), "joined once");
        Set<String> servers = steps.get(1).getJsonArray("jobs").stream()
                .map(job -> firstApi.job(job.asJsonObject().getString("id")))
                .peek(job -> assertEquals(1, job.getInt("attempts")))
                .flatMap(job -> job.getJsonArray("history").stream().map(JsonValue::asJsonObject))
                .filter(entry -> entry.getString("state").equals("RUNNING"))
                .map(entry -> entry.getString("detail").split("@")[0])
                .collect(Collectors.toSet());
        assertEquals(Set.of("workerSingletonA", "workerSingletonB"), servers, "both servers ran branches of the fan-out");
    }

    /*
     * Last: it leaves a server dead, and the test above wants both. Starting it again here would
     * cost a server start for no test.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aSingletonRunsOncePerFiringAndWhenAServerDiesTheOtherGoesOnWithItsSchedulesAndJobs() throws Exception {
        Api firstApi = new Api(first.uri("").toString(), "");
        Schedules schedules = new Schedules(firstApi);
        schedules.create("{\"name\": \"single\", \"cron\": \"* * * * * *\", \"type\": \"echo\", \"singleton\": true}");
        schedules.create("{\"name\": \"each\", \"cron\": \"* * * * * *\", \"type\": \"echo\", \"singleton\": false}");
        List<String> longJobs = IntStream.range(0, 2).mapToObj(i -> firstApi.submit(
                "{\"type\": \"sleep\", \"payload\": {\"ms\": 20000, \"steps\": 20}}").json().getString("id")).toList();

        // The second server picks the schedules up at its next sync; then both fire every second.
        await().atMost(Duration.ofSeconds(30)).until(() -> FIRINGS.instantsFiredBy("each", 2) >= 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> longJobs.stream().allMatch(id -> step(firstApi.job(id)) >= 2));
        String victimId = firstApi.job(longJobs.get(0)).getString("owner");
        boolean firstDies = victimId.startsWith("workerSingletonA@");
        LibertyServer victim = firstDies ? first : second;
        LibertyServer survivor = firstDies ? second : first;
        String survivorName = firstDies ? "workerSingletonB" : "workerSingletonA";
        String victimName = firstDies ? "workerSingletonA" : "workerSingletonB";
        Api survivorApi = new Api(survivor.uri("").toString(), "");
        List<String> victimsJobs = longJobs.stream().filter(id -> victimId.equals(firstApi.job(id).getString("owner"))).toList();

        // Both beat every third of the lease: either one lists both, running, each with its own
        // concurrency and at least its long jobs running.
        Map<String, Long> longJobsOn = longJobs.stream().map(id -> firstApi.job(id).getString("owner").split("@")[0])
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
        for (Api api : List.of(firstApi, new Api(second.uri("").toString(), ""))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, JsonObject> listed = servers(api);
                assertEquals(CONCURRENCY.keySet(), listed.keySet());
                listed.forEach((name, server) -> {
                    assertEquals("RUNNING", server.getString("phase"), server.toString());
                    assertFalse(server.getBoolean("gone"), server.toString());
                    assertEquals(CONCURRENCY.get(name), server.getInt("concurrency"), server.toString());
                    assertTrue(server.getInt("running") >= longJobsOn.getOrDefault(name, 0L), server.toString());
                });
            });
        }

        Instant killedAt = Instant.now();
        victim.kill();
        // Its heartbeat stops with it: it is gone once its last beat is a lease old (at most a
        // lease after the kill), still saying RUNNING, for it never stopped. The margin beyond
        // the lease is for a busy machine.
        JsonObject gone = await().atMost(LEASE.plusSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> servers(survivorApi).get(victimName), server -> server.getBoolean("gone"));
        assertEquals("RUNNING", gone.getString("phase"), gone.toString());
        JsonObject itself = servers(survivorApi).get(survivorName);
        assertFalse(itself.getBoolean("gone"), "the survivor goes on beating: " + itself);
        await().atMost(Duration.ofSeconds(30)).until(() -> FIRINGS.firingsAfter("single", killedAt.plusSeconds(1), survivorName) >= 5);
        new Schedules(survivorApi).pause("single");

        // Which instants fire, and so how close the survivor's firings follow the kill, depends on
        // the load (an instant more than the grace behind is dropped): the awaits above ask only
        // that it goes on firing. StoredFirings says what can go wrong: the jobs the firings make.
        assertEquals(List.of(), FIRINGS.instantsWithMoreJobsThan("single", 1), "one job per firing of the singleton");
        assertEquals(List.of("*"), FIRINGS.scopes("single"), "a singleton has one scope for all servers");
        assertEquals(FIRINGS.ranFirings("single"), FIRINGS.jobs("single"), "every RAN firing has its job, no more");
        assertEquals(FIRINGS.ranFirings("each"), FIRINGS.jobs("each"), "every RAN firing of the per-server schedule has its job, no more");
        assertEquals(List.of(), FIRINGS.instantsWithMoreJobsThan("each", 2),
                "a per-server schedule makes at most one job per instant on each of the two servers");

        for (String id : victimsJobs) {
            JsonObject done = survivorApi.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
            assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= 2, "resumed from its checkpoint: " + done);
            assertEquals(2, done.getInt("attempts"));
            Instant takenOver = done.getJsonArray("history").stream().map(v -> v.asJsonObject())
                    .filter(t -> "QUEUED".equals(t.getString("state")) && t.getString("detail", "").contains("stopped answering"))
                    .map(t -> Instant.parse(t.getString("at"))).findFirst().orElseThrow();
            // The bound is the behaviour: taken over within the lease and a pass (by the killed
            // server's presence lock within seconds, TakeoverIT; by its lapsed lease at the latest),
            // not at some later restart. The margin beyond that is wide, for a busy machine.
            Duration takeOverBound = LEASE.plus(LEASE.dividedBy(3)).plusSeconds(15);
            assertTrue(Duration.between(killedAt, takenOver).compareTo(takeOverBound) < 0,
                    "taken over within the lease time and a recovery pass: " + Duration.between(killedAt, takenOver));
        }
    }

    /** @return the servers GET /api/servers lists, by the name each was given (its id without the host) */
    private static Map<String, JsonObject> servers(Api api) {
        Api.Answer answer = api.get("/api/servers");
        assertEquals(200, answer.status(), answer.body());
        return answer.json().getJsonArray("servers").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(server -> server.getString("serverId").split("@")[0], server -> server));
    }

    private static int step(JsonObject job) {
        return job.containsKey("checkpoint") ? job.getJsonObject("checkpoint").getInt("step") : 0;
    }
}
