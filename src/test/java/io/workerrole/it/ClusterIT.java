package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ArtemisBroker;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.JobHistory;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.Schedules;
import io.workerrole.it.support.StoredFirings;
import io.workerrole.it.support.User;
import io.workerrole.testing.LocalPostgres;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three workers on one PostgreSQL job store and one Artemis broker, as liberty/cluster.sh runs
 * them (issue 13): their message endpoints are competing consumers of worker.jobs, so job
 * messages from a plain Java SE producer are shared by all three, each run once; a singleton
 * schedule fires once per instant across the three; and kill -9 of one worker while jobs run
 * loses nothing: the jobs it was running are taken over by the others (by its presence lock
 * within seconds, TakeoverIT; by their lapsed leases at the latest) and resume from their checkpoints, the messages it had been handed and not yet taken in are
 * delivered again by the broker, and no job runs twice unless it was running on the killed
 * worker (at least once, as the README's guarantees say).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ConcurrentClass
class ClusterIT {

    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final List<String> NAMES = List.of("workerCluster1", "workerCluster2", "workerCluster3");
    /** worker.concurrency, server-config's default. */
    private static final int CONCURRENCY = 16;
    private static final List<String> RAN_ONCE = List.of("QUEUED", "RUNNING", "SUCCEEDED");
    /** Running when its server died: taken back (QUEUED, "its server ... stopped answering"), run again, ended once. */
    private static final List<String> RAN_AGAIN_AFTER_THE_KILL = List.of("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    private static final StoredFirings FIRINGS = new StoredFirings(DATABASE);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static ArtemisBroker broker;
    private static final List<LibertyServer> workers = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndThreeWorkersOnOneDatabase() throws Exception {
        SERVERS.createDatabase(DATABASE);
        broker = SERVERS.closeAfter(ArtemisBroker.create("clusterIT", SERVERS.freePort()).start());
        for (String name : NAMES) {
            workers.add(server(name));
        }
        // The first creates the schema; the other two start together once it is ready.
        workers.get(0).start();
        CompletableFuture.allOf(workers.stream().skip(1).map(server -> CompletableFuture.runAsync(server::start))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static LibertyServer server(String name) throws Exception {
        Map<String, String> variables = new HashMap<>(broker.workerVariables());
        variables.putAll(Map.of(
                "worker.lease", LEASE.toString(),
                "worker.schedules.syncInterval", "PT1S"));
        return SERVERS.createOnPostgres(name, DATABASE, variables)
                .bootstrapProperty("worker.messaging", "artemis")
                .withDriversVisible();
    }

    @Test
    void jobMessagesAreSharedByTheThreeWorkersAndEachRunsOnce() {
        List<String> keys = send("shared", 300, "echo", Integer::toString);

        List<JsonObject> jobs = awaitSucceeded("echo", "shared-", keys.size());
        Map<String, Long> ranOn = jobs.stream().map(job -> api().job(job.getString("id")))
                .peek(job -> {
                    assertEquals(RAN_ONCE, JobHistory.states(job), "ran exactly once, ended once: " + job);
                    assertEquals(1, job.getInt("attempts"), job.toString());
                    assertEquals(Integer.parseInt(job.getString("idempotencyKey").substring("shared-".length())), job.getInt("result"));
                })
                .collect(Collectors.groupingBy(ClusterIT::ranOn, Collectors.counting()));
        assertEquals(Set.copyOf(keys), jobs.stream().map(job -> job.getString("idempotencyKey")).collect(Collectors.toSet()), "no job lost");
        assertEquals(Set.copyOf(NAMES), ranOn.keySet(), "each of the three ran some: " + ranOn);
    }

    @Test
    void aSingletonScheduleFiresOncePerInstantAcrossTheThree() throws Exception {
        Schedules schedules = new Schedules(api());
        schedules.create("{\"name\": \"single\", \"cron\": \"* * * * * *\", \"type\": \"echo\", \"singleton\": true}");
        schedules.create("{\"name\": \"each\", \"cron\": \"* * * * * *\", \"type\": \"echo\", \"singleton\": false}");

        // The others pick the schedules up at their next sync. Once all three fire the per-server
        // schedule at the same instants, all three are firing the singleton at those instants too.
        await().atMost(Duration.ofSeconds(30)).until(() -> FIRINGS.instantsFiredBy("each", NAMES.size()) >= 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> FIRINGS.ranFirings("single") >= 5);
        schedules.pause("single");
        schedules.pause("each");

        assertEquals(List.of(), FIRINGS.instantsWithMoreJobsThan("single", 1), "one job per instant of the singleton, across the three");
        assertEquals(List.of("*"), FIRINGS.scopes("single"), "a singleton has one scope for all servers");
        assertEquals(FIRINGS.ranFirings("single"), FIRINGS.jobs("single"), "every RAN firing has its job, no more");
        assertEquals(FIRINGS.ranFirings("each"), FIRINGS.jobs("each"), "every RAN firing of the per-server schedule has its job, no more");
        assertEquals(List.of(), FIRINGS.instantsWithMoreJobsThan("each", NAMES.size()),
                "a per-server schedule makes at most one job per instant on each of the three servers");
    }

    /*
     * Last: it leaves a worker dead, and the tests above want all three. Starting it again here
     * would cost a server start for no test.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterKillMinus9OfOneWorkerNothingIsLostAndOnlyWhatItWasRunningRunsAgain() throws Exception {
        List<String> slowKeys = send("slow", 24, "sleep", i -> "{\"ms\": 10000, \"steps\": 10}");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<JsonObject> slow = mine(api().allJobs("sleep"), "slow-");
            return slow.size() == slowKeys.size() && slow.stream().allMatch(job -> step(job) >= 2);
        });
        Map<String, List<String>> slowJobsByOwner = mine(api().allJobs("sleep"), "slow-").stream()
                .collect(Collectors.groupingBy(job -> job.getString("owner").split("@")[0],
                        Collectors.mapping(job -> job.getString("id"), Collectors.toList())));
        int victim = NAMES.size() - 1;
        String victimName = NAMES.get(victim);
        List<String> victimsSlowJobs = slowJobsByOwner.getOrDefault(victimName, List.of());
        assertFalse(victimsSlowJobs.isEmpty(), "the worker to be killed runs slow jobs: " + slowJobsByOwner);

        // Job messages on their way while the worker dies: some handed to it and not yet taken in
        // (the broker delivers them again to the others), some taken in and not yet run or acknowledged.
        List<String> echoKeys = new ArrayList<>(send("before-kill", 100, "echo", Integer::toString));
        Instant killedAt = Instant.now();
        workers.get(victim).kill();
        echoKeys.addAll(send("after-kill", 100, "echo", Integer::toString));

        List<JsonObject> slow = awaitSucceeded("sleep", "slow-", slowKeys.size());
        List<JsonObject> echoes = Stream.of("before-kill-", "after-kill-").flatMap(prefix -> awaitSucceeded("echo", prefix, 100).stream()).toList();
        assertEquals(Set.copyOf(echoKeys), echoes.stream().map(job -> job.getString("idempotencyKey")).collect(Collectors.toSet()), "no job message lost");

        for (JsonObject listed : slow) {
            JsonObject job = api().job(listed.getString("id"));
            if (victimsSlowJobs.contains(job.getString("id"))) {
                assertEquals(RAN_AGAIN_AFTER_THE_KILL, JobHistory.states(job), "taken back once from the killed worker, ended once: " + job);
                assertEquals(2, job.getInt("attempts"), job.toString());
                assertTrue(job.getJsonObject("result").getInt("resumedFromStep") >= 2, "resumed from its checkpoint: " + job);
                assertFalse(victimName.equals(ranOn(job)), "re-run by another worker: " + job);
                Instant takenBack = recoveredAt(job);
                // By its presence lock within seconds, or once the lease lapses (at most LEASE after
                // the kill) at a survivor's next pass (every third of the lease); the margin beyond
                // that is for a busy machine.
                assertTrue(Duration.between(killedAt, takenBack).compareTo(LEASE.plus(LEASE.dividedBy(3)).plusSeconds(15)) < 0,
                        "taken back after the lease and a recovery pass: " + Duration.between(killedAt, takenBack));
            } else {
                assertEquals(RAN_ONCE, JobHistory.states(job), "not on the killed worker: ran once: " + job);
            }
        }
        List<JsonObject> echoesRanAgain = new ArrayList<>();
        for (JsonObject listed : echoes) {
            JsonObject echo = api().job(listed.getString("id"));
            assertEquals(1, JobHistory.endings(echo), "ended exactly once: " + echo);
            assertEquals(JobHistory.runs(echo), echo.getInt("attempts"), "every run counted as an attempt: " + echo);
            if (JobHistory.runs(echo) > 1) {
                assertEquals(RAN_AGAIN_AFTER_THE_KILL, JobHistory.states(echo), "ran again only after being taken back from the killed worker: " + echo);
                echoesRanAgain.add(echo);
            }
        }
        // A worker holds at most its concurrency in running handlers and as many again whose
        // outcome is being written (BurstCrashIT): only those can run twice.
        assertTrue(echoesRanAgain.size() <= 2 * CONCURRENCY - victimsSlowJobs.size(),
                "only jobs unfinished on the killed worker ran again, not " + echoesRanAgain.size() + ": " + echoesRanAgain);
    }

    /**
     * Sends job messages of this type to worker.jobs from a plain Java SE client, the i-th with
     * the payload {@code payload(i)} and the idempotency key PREFIX-i; returns the keys.
     */
    private static List<String> send(String prefix, int count, String type, IntFunction<String> payload) {
        try (JMSContext context = broker.context(User.SUBMITTER)) {
            Queue jobs = context.createQueue("worker.jobs");
            JMSProducer producer = context.createProducer();
            return IntStream.range(0, count).mapToObj(i -> {
                String key = prefix + "-" + i;
                producer.send(jobs, "{\"type\": \"" + type + "\", \"payload\": " + payload.apply(i) + ", \"idempotencyKey\": \"" + key + "\"}");
                return key;
            }).toList();
        }
    }

    /** Waits until the jobs of this type whose keys start with the prefix are this many, all SUCCEEDED, as a surviving worker lists them. */
    private static List<JsonObject> awaitSucceeded(String type, String keyPrefix, int count) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> mine(api().allJobs(type), keyPrefix),
                        jobs -> jobs.size() >= count && jobs.stream().allMatch(job -> "SUCCEEDED".equals(job.getString("state"))));
    }

    private static List<JsonObject> mine(List<JsonObject> jobs, String keyPrefix) {
        return jobs.stream().filter(job -> job.getString("idempotencyKey", "").startsWith(keyPrefix)).toList();
    }

    /** @return the first worker's API (it is never the one killed) */
    private static Api api() {
        return workers.get(0).api();
    }

    /** @return the server (its name, without the host) that the job's last RUNNING entry names */
    private static String ranOn(JsonObject job) {
        return job.getJsonArray("history").stream().map(JsonValue::asJsonObject)
                .filter(entry -> "RUNNING".equals(entry.getString("state")))
                .reduce((first, last) -> last).map(entry -> entry.getString("detail").split("@")[0]).orElse("none");
    }

    /** @return when the job was taken back from a server that stopped answering */
    private static Instant recoveredAt(JsonObject job) {
        return job.getJsonArray("history").stream().map(JsonValue::asJsonObject)
                .filter(entry -> "QUEUED".equals(entry.getString("state")) && entry.getString("detail", "").contains("stopped answering"))
                .map(entry -> Instant.parse(entry.getString("at"))).findFirst().orElseThrow();
    }

    private static int step(JsonObject job) {
        return job.containsKey("checkpoint") ? job.getJsonObject("checkpoint").getInt("step") : 0;
    }
}
