package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What producers can count on (reliability matrix R6, R8, R9 and priorities): jobs of a
 * sequence run in number order however they arrive, duplicates are answered with the first
 * job, high priority goes first under a backlog, and a poison job ends in the dead-letter queue
 * while the others flow on. Each test counts its jobs: none lost, none run twice.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeliveryGuaranteesIT {

    private static final String APP = "guarantees";
    private static final String DEAD = "jms/worker/dead";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void jobsOfASequenceRunInNumberOrderWhenTheyArriveShuffledFromCompetingProducers() {
        String key = "order-" + UUID.randomUUID();
        List<Integer> numbers = IntStream.rangeClosed(1, 20).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(numbers, new Random(42));
        // Two producers, each sending half of the shuffled numbers at the same time.
        CompletableFuture<?>[] producers = {
                CompletableFuture.runAsync(() -> numbers.subList(0, 10).forEach(n -> sendInSequence(key, n))),
                CompletableFuture.runAsync(() -> numbers.subList(10, 20).forEach(n -> sendInSequence(key, n)))};
        CompletableFuture.allOf(producers).join();

        List<JsonObject> jobs = await().atMost(Duration.ofSeconds(60)).until(() -> jobsOfSequence(key),
                found -> found.size() == 20 && found.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));

        jobs.sort(Comparator.comparingLong(j -> j.getJsonObject("sequence").getJsonNumber("number").longValue()));
        assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(),
                jobs.stream().map(j -> j.getJsonObject("sequence").getInt("number")).toList(), "each number once");
        for (int i = 1; i < jobs.size(); i++) {
            Instant previousEnd = Instant.parse(jobs.get(i - 1).getString("finishedAt"));
            Instant start = Instant.parse(jobs.get(i).getString("startedAt"));
            assertFalse(start.isBefore(previousEnd), "number " + (i + 1) + " started before number " + i + " finished");
        }
    }

    private void sendInSequence(String key, int number) {
        api.sendMessage("{\"type\": \"sleep\", \"payload\": {\"ms\": 20}, \"sequence\": {\"key\": \"" + key + "\", \"number\": " + number + "}}",
                Map.of());
    }

    private List<JsonObject> jobsOfSequence(String key) {
        return new ArrayList<>(api.allJobs("sleep").stream()
                .filter(j -> j.containsKey("sequence") && key.equals(j.getJsonObject("sequence").getString("key"))).toList());
    }

    @Test
    void duplicatesSentAtOnceAndAfterSuccessAreAnsweredWithTheFirstJob() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        String body = "{\"type\": \"echo\", \"payload\": \"once\", \"idempotencyKey\": \"" + key + "\"}";
        CountDownLatch start = new CountDownLatch(1);
        // Eight threads of their own: the common pool has one thread on two cores, and would send them one by one.
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Api.Answer>> concurrent = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return api.submit(body);
        }, senders)).toList();
        start.countDown();

        Set<String> ids = concurrent.stream().map(CompletableFuture::join).map(a -> a.json().getString("id")).collect(Collectors.toSet());
        senders.shutdown();
        assertEquals(1, ids.size(), "every concurrent duplicate is answered with one job");
        String id = ids.iterator().next();
        // Exactly one of the eight submissions made the job. (A job message with the same key is
        // another caller's, the JMS sender's, and another job: IdempotencyKeysIT.)
        assertEquals(1, concurrent.stream().map(CompletableFuture::join).filter(a -> a.status() == 202).count(),
                "one was accepted, the others are duplicates");
        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));

        Api.Answer later = api.submit(body);
        assertEquals(200, later.status());
        assertEquals(id, later.json().getString("id"));
        assertEquals("once", later.json().getString("result"), "answered with the first job's result");
        await().atMost(Duration.ofSeconds(10)).until(() -> jobsWithKey(key) == 1);
        assertEquals(1, api.job(id).getInt("attempts"), "it ran once");
    }

    private long jobsWithKey(String key) {
        return api.allJobs("echo").stream().filter(j -> key.equals(j.getString("idempotencyKey", null))).count();
    }

    @Test
    void underABacklogHigherPriorityJobsStartFirst() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Fill every slot (worker.concurrency is 16 on the test server) with jobs that take a while:
        // long enough that the backlog below is sent and checked before one ends, on a loaded machine too.
        List<String> blockers = IntStream.range(0, 16).mapToObj(i -> api.submit(
                "{\"type\": \"sleep\", \"payload\": {\"ms\": 15000}}").json().getString("id")).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> blockers.stream().allMatch(id -> "RUNNING".equals(api.job(id).getString("state"))));

        List<String> low = new ArrayList<>();
        List<String> high = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            low.add(api.submit("{\"type\": \"echo\", \"payload\": \"low-" + run + "\", \"priority\": 1}").json().getString("id"));
        }
        for (int i = 0; i < 5; i++) {
            high.add(api.submit("{\"type\": \"echo\", \"payload\": \"high-" + run + "\", \"priority\": 8}").json().getString("id"));
        }
        assertTrue(low.stream().allMatch(id -> "QUEUED".equals(api.job(id).getString("state"))), "a backlog");

        List<Instant> highStarts = high.stream().map(id -> Instant.parse(api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30)).getString("startedAt"))).toList();
        List<Instant> lowStarts = low.stream().map(id -> Instant.parse(api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30)).getString("startedAt"))).toList();
        Instant lastHigh = Collections.max(highStarts);
        Instant firstLow = Collections.min(lowStarts);
        assertFalse(lastHigh.isAfter(firstLow), "every priority-8 job started no later than the first priority-1 job, "
                + "though they were sent after: " + highStarts + " vs " + lowStarts);
    }

    @Test
    void aPoisonJobEndsInTheDeadLetterQueueWithItsErrorWhileTheOthersFlowAndCanBeRequeued() {
        String poisonId = "poison-" + UUID.randomUUID();
        List<String> goodIds = IntStream.range(0, 20).mapToObj(i -> "good-" + UUID.randomUUID()).toList();
        api.sendMessage("{\"type\": \"fail\", \"payload\": {\"message\": \"always broken\"}}", Map.of("correlationId", poisonId));
        goodIds.forEach(id -> api.sendMessage("{\"type\": \"echo\", \"payload\": 1}", Map.of("correlationId", id)));

        await().atMost(Duration.ofSeconds(30)).until(() -> api.depth(DEAD, poisonId) == 1);
        JsonObject job = api.allJobs("fail").stream().filter(j -> poisonId.equals(j.getString("correlationId", ""))).findFirst().orElseThrow();
        String jobId = job.getString("id");
        assertEquals("DEAD", job.getString("state"));
        assertTrue(job.getString("error").contains("always broken"));

        List<JsonObject> echoes = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.allJobs("echo").stream().filter(j -> goodIds.contains(j.getString("correlationId", ""))).toList(),
                found -> found.size() == 20 && found.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));
        assertEquals(20, echoes.stream().map(j -> j.getString("correlationId")).distinct().count(), "every good job once");

        Api.Answer requeued = api.post("/api/jobs/" + jobId + "/requeue", "application/json", new byte[0]);
        assertEquals(200, requeued.status(), requeued.body());
        assertEquals("QUEUED", requeued.json().getString("state"));
        assertEquals(0, requeued.json().getInt("attempts"), "a fresh set of attempts");
        // Its five new attempts take seconds (backoff 0.2 s, doubling): the stale copy is gone before.
        assertEquals(0, api.depth(DEAD, poisonId), "the requeue removed the job's dead letter");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.job(jobId).getJsonArray("history").stream()
                .filter(t -> "DEAD".equals(t.asJsonObject().getString("state"))).count() == 2);
        assertTrue(api.job(jobId).getJsonArray("history").stream()
                .anyMatch(t -> t.asJsonObject().getString("detail", "").contains("requeued by an admin")));

        // Dead again: one new copy, with the reason and the attempts, ready to be sent again.
        JsonObject dead = api.receive(DEAD, poisonId);
        Map<String, String> properties = dead.getJsonObject("properties").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((jakarta.json.JsonString) e.getValue()).getString()));
        assertEquals(jobId, properties.get("workerJobId"));
        assertTrue(properties.get("workerDeadReason").contains("always broken"), properties.toString());
        assertEquals("5", properties.get("workerAttempts"), "after worker.maxDeliveries (5) attempts");
        assertEquals("fail", Api.parse(dead.getString("body")).asJsonObject().getString("type"), "the dead letter is the job message, ready to send again");
        assertEquals(0, api.depth(DEAD, poisonId), "one copy only");

        assertEquals(409, api.post("/api/jobs/" + echoes.get(0).getString("id") + "/requeue", "application/json", new byte[0]).status(),
                "a job that succeeded is not requeued");
        assertEquals(404, api.post("/api/jobs/" + UUID.randomUUID() + "/requeue", "application/json", new byte[0]).status());
        Api.Answer all = api.post("/api/jobs/requeue?type=fail", "application/json", "".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, all.status(), all.body());
        assertTrue(all.json().getInt("requeued") >= 1, all.body());
    }

    @Test
    void aJobTypesOwnBackoffSpacesItsRetries() {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        // The test server's own backoff is PT0.2S, at most PT1S.
        WorkerServer.writeOverride("retry-backoff-it.xml", "<variable name=\"worker.retry.backoff.fail\" value=\"PT3S\"/>"
                + "<variable name=\"worker.retry.maxBackoff.fail\" value=\"PT5S\"/>");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream().anyMatch(l -> l.contains("CWWKG0017I")));
            String id = api.submit("{\"type\": \"fail\", \"payload\": {\"message\": \"once\", \"times\": 1}}").json().getString("id");

            // While it waits for its retry (three seconds and more), the job shows when that is due.
            JsonObject failed = api.awaitState(id, "FAILED", Duration.ofSeconds(30));
            Instant failedAt = Instant.parse(lastEntry(failed, "FAILED").getString("at"));
            Instant nextAttemptAt = Instant.parse(failed.getString("nextAttemptAt"));
            // The retry time is planned just before the failure is recorded, so this is the
            // backoff less the time the recording took: no more than PT3S plus its 20 % jitter,
            // and well above the server's own backoff, which is never more than PT1S.
            Duration backoff = Duration.between(failedAt, nextAttemptAt);
            assertTrue(backoff.compareTo(Duration.ofSeconds(1)) > 0 && backoff.compareTo(Duration.ofMillis(3600)) <= 0,
                    "PT3S plus jitter, not the server's PT0.2S: " + backoff);

            JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
            Instant retried = Instant.parse(lastEntry(done, "RUNNING").getString("at"));
            assertFalse(retried.isBefore(nextAttemptAt), "the retry ran no earlier than it was due: " + done);
            assertEquals(2, done.getInt("attempts"), done.toString());
        } finally {
            WorkerServer.removeOverride("retry-backoff-it.xml");
        }
    }

    private static JsonObject lastEntry(JsonObject job, String state) {
        return job.getJsonArray("history").stream().map(v -> v.asJsonObject()).filter(t -> state.equals(t.getString("state")))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + state + " in the history of " + job));
    }
}
