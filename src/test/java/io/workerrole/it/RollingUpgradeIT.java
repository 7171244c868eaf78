package io.workerrole.it;

import io.workerrole.it.support.AddedInV2Job;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.NextRelease;
import io.workerrole.it.support.SteadyLoad;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling upgrade under load (issue 30, reliability matrix R24): three servers on one PostgreSQL
 * job store, running the packaged WAR (the first build), are upgraded one by one to a second
 * build that adds a job type ({@link AddedInV2Job}, made by {@link NextRelease}) while clients
 * send 100 jobs a second, spread over the servers that are up. Each server is stopped gracefully
 * (its running jobs finish or go back to the queue), given the new WAR, started, and back in the
 * rotation once ready. The old types flow all along; the new type from the moment the first
 * server runs the second build, to every server: those of the first build accept it, and it waits
 * for one of the second. Nothing accepted is lost, none runs to its end twice, none ends DEAD,
 * and the new type runs only on servers of the second build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeIT {

    private static final Path WAR = Path.of("target/worker-role.war");
    private static final String V2 = "2.0.0+rolling-upgrade";
    private static final String NEW_TYPE = AddedInV2Job.TYPE;
    /** 10 jobs every 100 ms: 100 jobs a second throughout. */
    private static final int BATCH = 10;
    private static final Duration TICK = Duration.ofMillis(100);
    /** The jobs accepted between two steps of the upgrade: 3 s of load. */
    private static final int BETWEEN_STEPS = 300;
    private static final String KEYS = "roll-";

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    private static final DataSource STORE = LocalPostgres.dataSource(DATABASE);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static final List<LibertyServer> FLEET = new ArrayList<>();
    private static String v1;
    private static Path v2War;

    @BeforeAll
    static void startThreeServersOfTheFirstBuild() throws Exception {
        SERVERS.createDatabase(DATABASE);
        v1 = NextRelease.versionOf(WAR);
        v2War = NextRelease.of(WAR, Path.of("target/rolling-upgrade/worker-role.war"), V2, AddedInV2Job.class);
        for (int i = 1; i <= 3; i++) {
            // The default lease (60 s): a server stopped cleanly counts out at once, and a started one is
            // listed, with its version and types, from its first heartbeat. A short lease would make
            // a server that the busy machine stalls for longer than it lose its running jobs to the
            // others, to run again: at least once, which is not what this test is about.
            FLEET.add(SERVERS.createOnPostgres("workerRoll" + i, DATABASE, Map.of()).withDriversVisible());
        }
        // The first creates the schema; the other two start together once it is ready.
        FLEET.get(0).start();
        CompletableFuture.allOf(CompletableFuture.runAsync(FLEET.get(1)::start), CompletableFuture.runAsync(FLEET.get(2)::start)).join();
    }

    @Test
    @Order(1)
    void whileEveryServerRunsTheFirstBuildTheNewTypeIsRefusedAsUnknown() {
        assertNotEquals(V2, v1);
        awaitFleet(FLEET.get(0), Map.of("workerRoll1", v1, "workerRoll2", v1, "workerRoll3", v1));

        Api.Answer refused = FLEET.get(1).api().submit("{\"type\": \"" + NEW_TYPE + "\", \"payload\": 1}");

        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("unknown job type \\\"" + NEW_TYPE + "\\\"; the live servers run ["), refused.body());
    }

    @Test
    @Order(2)
    void aRollingUpgradeUnderLoadLosesDoublesAndKillsNothingAndTheNewTypeWaitsForTheSecondBuild() throws Exception {
        Map<String, String> versions = new HashMap<>(Map.of("workerRoll1", v1, "workerRoll2", v1, "workerRoll3", v1));
        Map<String, Instant> upgraded = new HashMap<>();
        long acceptedOfNewTypeByTheLastFirstBuild = 0;
        long started = System.nanoTime();
        SteadyLoad load = new SteadyLoad(KEYS, RollingUpgradeIT::oldType);
        try {
            FLEET.forEach(server -> load.add(server.name(), server.api()));
            load.start(BATCH, TICK);
            awaitAccepted(load, BETWEEN_STEPS);

            for (LibertyServer server : FLEET) {
                if (server == FLEET.get(2)) {
                    // The two others run the second build: what of the new type this one took in waits for them.
                    acceptedOfNewTypeByTheLastFirstBuild = load.acceptedBy(server.name(), NEW_TYPE);
                }
                // Clients go on sending to it while it stops (refused, they try the next server); out of the rotation once down.
                server.stop();
                load.remove(server.name());
                server.replaceWar(v2War);
                upgraded.put(server.name(), Instant.now());
                server.start();
                versions.put(server.name(), V2);
                awaitFleet(server, versions);
                load.add(server.name(), server.api());
                if (server == FLEET.get(0)) {
                    everyServerTakesTheNewType(load);
                    load.mix(RollingUpgradeIT::mixedTypes);
                }
                awaitAccepted(load, load.acceptedCount() + BETWEEN_STEPS);
            }
        } finally {
            load.close();
        }
        Duration sending = Duration.ofNanos(System.nanoTime() - started);
        Map<String, SteadyLoad.Accepted> accepted = load.accepted();
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM worker_job WHERE idempotency_key LIKE '" + KEYS
                + "%' AND state IN ('QUEUED', 'SCHEDULED', 'RUNNING', 'FAILED')") == 0);
        Map<String, Long> byType = accepted.values().stream().collect(Collectors.groupingBy(SteadyLoad.Accepted::type, Collectors.counting()));
        System.out.printf("[RollingUpgradeIT] %d jobs accepted in %d s (%s), %d refusals by stopping servers %s; all ended %d ms later%n",
                accepted.size(), sending.toSeconds(), byType, load.refused().values().stream().mapToLong(Long::longValue).sum(),
                load.refused(), Duration.ofNanos(System.nanoTime() - started).minus(sending).toMillis());

        assertEquals(List.of(), load.unexpected(), "every job sent was accepted by a server (or, refused by a stopping one, by the next)");
        assertTrue(byType.getOrDefault(NEW_TYPE, 0L) >= BETWEEN_STEPS / 3, "the new type flowed: " + byType);
        assertTrue(acceptedOfNewTypeByTheLastFirstBuild > 0, "a server of the first build took in jobs of the new type");

        Map<String, Run> runs = runs();
        Set<String> lost = accepted.values().stream().map(SteadyLoad.Accepted::id).filter(id -> !runs.containsKey(id))
                .collect(Collectors.toSet());
        assertEquals(Set.of(), lost, "every job accepted is in the store");
        Set<String> unanswered = new HashSet<>(runs.keySet());
        accepted.values().forEach(job -> unanswered.remove(job.id()));
        assertEquals(Set.of(), unanswered, "every job in the store was answered to a client");
        assertEquals(List.of(), runs.values().stream().filter(run -> !run.state().equals("SUCCEEDED")).limit(20).toList(), "none DEAD, each SUCCEEDED");
        assertEquals(List.of(), runs.values().stream().filter(run -> !run.once()).limit(20).toList(),
                "each ran to its end once, in one attempt: any other run was put back by its server as it stopped");
        assertEquals(0, count("SELECT COUNT(*) FROM worker_job WHERE state = 'DEAD'"), "none DEAD");

        List<String> newTypeOnTheFirstBuild = newTypeRuns().stream()
                .filter(run -> !upgraded.containsKey(run.server()) || run.at().isBefore(upgraded.get(run.server())))
                .map(Object::toString).toList();
        assertEquals(List.of(), newTypeOnTheFirstBuild, "the new type ran only on servers of the second build");
    }

    /** A job of the load as its history tells it. */
    private record Run(String id, String type, String state, int attempts, int runs, int successes, int putBack, int failures) {

        /** Succeeded once, in its one attempt; each run but the last put back (not failed) by a stopping server. */
        boolean once() {
            return attempts == 1 && successes == 1 && failures == 0 && runs == putBack + 1;
        }
    }

    /** A run of a job of the new type: when it started and on which server. */
    private record NewTypeRun(String jobId, String server, Instant at) {
    }

    /** @return each job of the load, by id, with the counts of its history */
    private static Map<String, Run> runs() throws SQLException {
        Map<String, Run> runs = new HashMap<>();
        try (Connection c = STORE.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT j.id, j.type, j.state, j.attempts, "
                     + "COUNT(*) FILTER (WHERE e.state = 'RUNNING'), COUNT(*) FILTER (WHERE e.state = 'SUCCEEDED'), "
                     + "COUNT(*) FILTER (WHERE e.state = 'QUEUED' AND e.detail LIKE 'released by %'), "
                     + "COUNT(*) FILTER (WHERE e.state IN ('FAILED', 'DEAD')) "
                     + "FROM worker_job j JOIN worker_job_event e ON e.job_id = j.id WHERE j.idempotency_key LIKE ? "
                     + "GROUP BY j.id, j.type, j.state, j.attempts")) {
            s.setString(1, KEYS + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Run run = new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
                            rs.getInt(7), rs.getInt(8));
                    runs.put(run.id(), run);
                }
            }
        }
        return runs;
    }

    /** @return each RUNNING entry of the new type's histories, which names the server that ran it */
    private static List<NewTypeRun> newTypeRuns() throws SQLException {
        List<NewTypeRun> runs = new ArrayList<>();
        try (Connection c = STORE.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT j.id, e.detail, e.entered_at FROM worker_job j JOIN worker_job_event e "
                     + "ON e.job_id = j.id WHERE j.type = ? AND e.state = 'RUNNING'")) {
            s.setString(1, NEW_TYPE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(new NewTypeRun(rs.getString(1), rs.getString(2).split("@")[0], rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return runs;
    }

    private static void awaitAccepted(SteadyLoad load, int jobs) {
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acceptedCount() >= jobs);
    }

    /**
     * Waits until every server of the second build takes the new type in, as a probe of one job
     * each shows (those of the first build once they have heard of one that runs it, within a
     * second of its first heartbeat).
     */
    private static void everyServerTakesTheNewType(SteadyLoad load) {
        for (LibertyServer server : FLEET) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.sendTo(server.name(), server.api(),
                    new SteadyLoad.Job(NEW_TYPE, "\"probe\"")) == 202);
        }
    }

    /** The first build's types: {@code echo} and {@code sleep} of 5 ms, by turns. */
    private static SteadyLoad.Job oldType(long n) {
        return n % 2 == 0 ? new SteadyLoad.Job("echo", Long.toString(n)) : new SteadyLoad.Job("sleep", "{\"ms\": 5}");
    }

    /** A third of each type, the new one among them. */
    private static SteadyLoad.Job mixedTypes(long n) {
        return n % 3 == 2 ? new SteadyLoad.Job(NEW_TYPE, Long.toString(n)) : oldType(n);
    }

    /**
     * Waits until the live servers of {@code /api/servers}, as this server lists them, are those
     * given, each with its version, and with the new type among its types exactly when it runs the
     * second build.
     */
    private static void awaitFleet(LibertyServer server, Map<String, String> versions) {
        Map<String, JsonObject> live = await().atMost(Duration.ofSeconds(30)).until(() -> liveServers(server.api()),
                servers -> versions.equals(servers.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getString("version")))));
        live.forEach((name, entry) -> assertEquals(V2.equals(versions.get(name)), types(entry).contains(NEW_TYPE), entry.toString()));
    }

    /** @return the servers of {@code /api/servers} that are not gone, by their name (the server id without the host) */
    private static Map<String, JsonObject> liveServers(Api api) {
        return api.get("/api/servers").json().getJsonArray("servers").getValuesAs(JsonObject.class).stream()
                .filter(server -> !server.getBoolean("gone"))
                .collect(Collectors.toMap(server -> server.getString("serverId").split("@")[0], server -> server));
    }

    private static List<String> types(JsonObject server) {
        return server.getJsonArray("types").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = STORE.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
