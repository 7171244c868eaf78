package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.Scrape;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three servers of two roles on one PostgreSQL job store (issue 30): {@code images}, which runs
 * only the image type, and two {@code light} servers, which run everything else. A mixed load sent
 * to all three runs each job on a server of its role and none ends DEAD; each heartbeat shows the
 * server's role, types and version. With the images server gone, its jobs wait QUEUED and say
 * why, and new ones are refused, while the light servers go on; started again, it runs them.
 *
 * <p>The built-in {@code sleep} job stands in for image work: a type the light servers have a
 * handler for and exclude, as a real deployment of one WAR in two roles would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ConcurrentClass
class FleetRolesIT {

    private static final String IMAGE_TYPE = "sleep";
    private static final String IMAGE_PAYLOAD = "{\"ms\": 5}";
    /** The mixed load: the issue's 5,000, one in five of the image type; about 10 s on 2 cores. */
    private static final int JOBS = 5_000;
    private static final int BATCH = 1_000;
    /** Short, so that a killed server counts out soon (it beats every third of it). */
    private static final Duration LEASE = Duration.ofSeconds(5);

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    private static final DataSource STORE = LocalPostgres.dataSource(DATABASE);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer images;
    private static LibertyServer light1;
    private static LibertyServer light2;

    @BeforeAll
    static void startOneImagesServerAndTwoLightOnes() throws Exception {
        SERVERS.createDatabase(DATABASE);
        images = server("workerImages", Map.of("worker.role", "images", "worker.types.include", IMAGE_TYPE));
        light1 = server("workerLight1", Map.of("worker.role", "light", "worker.types.exclude", IMAGE_TYPE));
        light2 = server("workerLight2", Map.of("worker.role", "light", "worker.types.exclude", IMAGE_TYPE));
        // The first creates the schema; the other two start together once it is ready.
        images.start();
        CompletableFuture.allOf(CompletableFuture.runAsync(light1::start), CompletableFuture.runAsync(light2::start)).join();
    }

    private static LibertyServer server(String name, Map<String, String> role) throws Exception {
        Map<String, String> variables = new HashMap<>(role);
        variables.put("worker.lease", LEASE.toString());
        return SERVERS.createOnPostgres(name, DATABASE, variables).withDriversVisible();
    }

    @Test
    @Order(1)
    void eachServerListsItsRoleTypesAndVersion() {
        Map<String, JsonObject> servers = await().atMost(Duration.ofSeconds(30)).until(() -> servers(light1.api()), all -> all.size() == 3);

        JsonObject imagesServer = servers.get("workerImages");
        assertEquals("images", imagesServer.getString("role"), imagesServer.toString());
        assertEquals(List.of(IMAGE_TYPE), types(imagesServer));
        for (String name : List.of("workerLight1", "workerLight2")) {
            JsonObject lightServer = servers.get(name);
            assertEquals("light", lightServer.getString("role"), lightServer.toString());
            assertTrue(types(lightServer).contains("echo"), lightServer.toString());
            assertFalse(types(lightServer).contains(IMAGE_TYPE), lightServer.toString());
        }
        String version = imagesServer.getString("version");
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\+\\d{8}\\.\\d{6}"), "the pom's version and the build's time: " + version);
        assertEquals(Map.of("workerImages", version, "workerLight1", version, "workerLight2", version),
                servers.values().stream().collect(Collectors.toMap(s -> s.getString("serverId").split("@")[0], s -> s.getString("version"))),
                "one build, one version");
    }

    @Test
    @Order(2)
    void aMixedLoadSentToAllThreeRunsEachJobOnAServerOfItsRoleAndNoneDies() throws Exception {
        awaitEveryServerListed();
        List<Api> apis = List.of(images.api(), light1.api(), light2.api());
        long started = System.nanoTime();
        for (int batch = 0; batch < JOBS / BATCH; batch++) {
            String body = IntStream.range(batch * BATCH, (batch + 1) * BATCH)
                    .mapToObj(i -> i % 5 == 0
                            ? "{\"type\": \"" + IMAGE_TYPE + "\", \"payload\": " + IMAGE_PAYLOAD + ", \"idempotencyKey\": \"mixed-" + i + "\"}"
                            : "{\"type\": \"echo\", \"payload\": " + i + ", \"idempotencyKey\": \"mixed-" + i + "\"}")
                    .collect(Collectors.joining(", ", "[", "]"));
            // Every server takes in both types, whatever its role: the claims route them.
            Api.Answer answer = apis.get(batch % apis.size()).post("/api/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8));
            assertEquals(200, answer.status(), answer.body());
            assertTrue(answer.json().getJsonArray("jobs").getValuesAs(JsonObject.class).stream().allMatch(job -> job.getInt("status") == 202),
                    answer.body());
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM worker_job WHERE idempotency_key LIKE 'mixed-%' "
                + "AND state IN ('SUCCEEDED', 'DEAD')") == JOBS);
        System.out.printf("[FleetRolesIT] %d jobs of two roles ran in %d ms%n", JOBS, Duration.ofNanos(System.nanoTime() - started).toMillis());

        assertEquals(JOBS, count("SELECT COUNT(*) FROM worker_job WHERE idempotency_key LIKE 'mixed-%' AND state = 'SUCCEEDED'"), "none DEAD");
        assertEquals(JOBS, count("SELECT COUNT(*) FROM worker_job j WHERE idempotency_key LIKE 'mixed-%' AND attempts = 1 AND "
                + "(SELECT COUNT(*) FROM worker_job_event e WHERE e.job_id = j.id AND e.state = 'RUNNING') = 1"), "each ran once");
        assertEquals(Map.of("workerImages", (long) JOBS / 5), ranOn(IMAGE_TYPE), "every job of the image type ran on the images server");
        Map<String, Long> echoes = ranOn("echo");
        assertEquals(List.of("workerLight1", "workerLight2"), echoes.keySet().stream().sorted().toList(),
                "the light servers ran the rest, both of them, the images server none: " + echoes);
        assertEquals(JOBS - JOBS / 5, echoes.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    @Order(3)
    void withTheImagesServerGoneItsJobsWaitSayingWhyNewOnesAreRefusedAndWhenItIsBackTheyRun() throws Exception {
        awaitEveryServerListed();
        // Frozen first, so that the jobs sent now stay queued for it: a frozen server still runs its types.
        images.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(images.roleHealth().getString("task.job-dispatcher.state", "")));
        Api light = light1.api();
        List<String> waiting = IntStream.range(0, 50).mapToObj(i -> {
            Api.Answer answer = light.submit("{\"type\": \"" + IMAGE_TYPE + "\", \"payload\": " + IMAGE_PAYLOAD + "}");
            assertEquals(202, answer.status(), answer.body());
            return answer.json().getString("id");
        }).toList();
        JsonObject queued = light.job(waiting.get(0));
        assertEquals("QUEUED", queued.getString("state"));
        assertFalse(queued.containsKey("waiting"), "a live server runs its type: " + queued);

        // Killed rather than stopped: Liberty shows every variable at its default while it shuts
        // down, so a frozen server unfreezes for a moment on its way out, and would claim some.
        images.kill();

        // Its heartbeat lapses after the lease; the light servers count it out at their next look (within a second).
        JsonObject told = await().atMost(LEASE.plusSeconds(15)).until(() -> light2.api().job(waiting.get(0)), job -> job.containsKey("waiting"));
        assertEquals("no live server runs type " + IMAGE_TYPE, told.getString("waiting"));
        assertEquals("QUEUED", told.getString("state"));
        // The listing says so too, on the other light server, once its own look (within a second) has counted the images server out.
        await().atMost(Duration.ofSeconds(15)).until(() -> light.get("/api/jobs?type=" + IMAGE_TYPE + "&state=QUEUED&limit=100").json()
                .getJsonArray("jobs").getValuesAs(JsonObject.class).stream().allMatch(job -> job.containsKey("waiting")));
        Api.Answer refused = light.submit("{\"type\": \"" + IMAGE_TYPE + "\", \"payload\": " + IMAGE_PAYLOAD + "}");
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("unknown job type \\\"" + IMAGE_TYPE + "\\\"; the live servers run [echo"), refused.body());
        String echo = light.submit("{\"type\": \"echo\", \"payload\": 1}").json().getString("id");
        light2.api().awaitState(echo, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(waiting.size(), count("SELECT COUNT(*) FROM worker_job WHERE type = '" + IMAGE_TYPE + "' AND state = 'QUEUED'"),
                "the light servers ran the echo job, and not one of the image type");

        // What an autoscaler reads on any server: the images role's queue by its name, though none of its servers is live.
        // (This server's first scrape reads the roles, and registers the images role's gauges as it goes: the next one has them all.)
        Scrape scrape = await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(light1::metrics,
                s -> s.value("job_role_queued", "role", "images") == waiting.size() && s.value("job_role_queued", "role", "light") == 0
                        && s.samples("job_role_queued").stream().anyMatch(sample -> "light".equals(sample.labels().get("role")))
                        && s.value("job_role_oldest_age_seconds", "role", "images") > 0);
        assertEquals(0, scrape.value("job_role_running", "role", "images"));

        images.removeOverride("freeze.xml");
        images.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM worker_job WHERE type = '" + IMAGE_TYPE
                + "' AND state = 'SUCCEEDED'") == JOBS / 5 + waiting.size());
        for (String id : waiting) {
            JsonObject job = light.job(id);
            assertEquals(1, job.getInt("attempts"), job.toString());
            assertFalse(job.containsKey("waiting"), job.toString());
        }
        assertEquals(Map.of("workerImages", (long) JOBS / 5 + waiting.size()), ranOn(IMAGE_TYPE), "all on the images server");
        assertEquals(0, count("SELECT COUNT(*) FROM worker_job WHERE state = 'DEAD'"));
        assertEquals(202, light.submit("{\"type\": \"" + IMAGE_TYPE + "\", \"payload\": " + IMAGE_PAYLOAD + "}").status(),
                "accepted again now that a server runs it");
    }

    private static void awaitEveryServerListed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> servers(light2.api()).values().stream()
                .filter(server -> !server.getBoolean("gone") && !types(server).isEmpty()).count() == 3);
    }

    /** @return the servers of {@code /api/servers}, by their name (the server id without the host) */
    private static Map<String, JsonObject> servers(Api api) {
        return api.get("/api/servers").json().getJsonArray("servers").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(server -> server.getString("serverId").split("@")[0], server -> server));
    }

    private static List<String> types(JsonObject server) {
        return server.getJsonArray("types").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    /** @return how many jobs of the type each server ran (by the RUNNING entries of their histories, which name the server) */
    private static Map<String, Long> ranOn(String type) throws SQLException {
        Map<String, Long> ranOn = new HashMap<>();
        try (Connection c = STORE.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT e.detail, COUNT(*) FROM worker_job j JOIN worker_job_event e "
                     + "ON e.job_id = j.id WHERE j.type = ? AND e.state = 'RUNNING' GROUP BY e.detail")) {
            s.setString(1, type);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ranOn.merge(rs.getString(1).split("@")[0], rs.getLong(2), Long::sum);
                }
            }
        }
        return ranOn;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = STORE.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
