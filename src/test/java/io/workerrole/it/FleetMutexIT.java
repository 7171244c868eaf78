package io.workerrole.it;

import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual exclusion by key across a fleet (reliability R28): three servers on one PostgreSQL job
 * store take 200 jobs on 4 mutex keys, sent to all three, and each job runs once, never while
 * another of its key runs, on whichever server. The times come from the jobs' histories: a job
 * holds its key from its RUNNING transition (its claim) to the transition that ended it.
 */
@ConcurrentClass
class FleetMutexIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    private static final int JOBS = 200;
    private static final int KEYS = 4;

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static final List<LibertyServer> FLEET = new ArrayList<>();

    @BeforeAll
    static void startThreeServers() throws Exception {
        SERVERS.createDatabase(DATABASE);
        for (String name : List.of("workerMutexA", "workerMutexB", "workerMutexC")) {
            FLEET.add(SERVERS.createOnPostgres(name, DATABASE, Map.of("worker.lease", "PT5S")).withDriversVisible());
        }
        FLEET.get(0).launch();
        FLEET.get(1).launch();
        FLEET.get(2).start();
        for (LibertyServer server : FLEET) {
            await().atMost(Duration.ofMinutes(2)).until(() -> server.status("/health/ready") == 200);
        }
    }

    @Test
    void jobsOfOneMutexKeyNeverRunAtOnceAnywhereAndEachRunsOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> keyOf = new HashMap<>();
        for (int i = 0; i < JOBS; i++) {
            String key = "account-" + run + "-" + i % KEYS;
            String id = FLEET.get(i % FLEET.size()).api()
                    .submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 5}, \"mutex\": \"" + key + "\"}").json().getString("id");
            keyOf.put(id, key);
        }

        LibertyServer any = FLEET.get(0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> keyOf.keySet().stream()
                .allMatch(id -> "SUCCEEDED".equals(any.api().job(id).getString("state"))));

        Map<String, List<Held>> byKey = new HashMap<>();
        Set<String> servers = new HashSet<>();
        for (Map.Entry<String, String> job : keyOf.entrySet()) {
            JsonObject view = any.api().job(job.getKey());
            assertEquals(job.getValue(), view.getString("mutex"));
            assertEquals(1, view.getInt("attempts"), "ran once: " + view);
            List<JsonObject> history = view.getJsonArray("history").getValuesAs(JsonObject.class);
            List<JsonObject> started = history.stream().filter(t -> t.getString("state").equals("RUNNING")).toList();
            assertEquals(1, started.size(), "started once: " + history);
            JsonObject end = history.get(history.size() - 1);
            assertEquals("SUCCEEDED", end.getString("state"));
            servers.add(started.get(0).getString("detail"));
            byKey.computeIfAbsent(job.getValue(), key -> new ArrayList<>())
                    .add(new Held(job.getKey(), Instant.parse(started.get(0).getString("at")), Instant.parse(end.getString("at"))));
        }

        assertEquals(KEYS, byKey.size());
        for (List<Held> held : byKey.values()) {
            held.sort(Comparator.comparing(Held::from));
            for (int i = 1; i < held.size(); i++) {
                Held before = held.get(i - 1);
                Held after = held.get(i);
                assertFalse(after.from().isBefore(before.to()), before + " and " + after + " of one key ran at once");
            }
        }
        assertTrue(servers.size() >= 2, "the jobs ran across the fleet, not on one server: " + servers);
    }

    /** A job's hold on its key, from its history. */
    private record Held(String id, Instant from, Instant to) {
    }
}
