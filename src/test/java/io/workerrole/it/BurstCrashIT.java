package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.JobHistory;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 during a burst of 5,000 jobs (reliability matrix R2): the producers, at-least-once as
 * real producers are, send each job again (same idempotency key) until it is accepted, through
 * the crash and the restart. In the end every key has its job, SUCCEEDED with its own result.
 * Each job's history says how often it ran: a job that was not running when the server died ran
 * exactly once; one that was (running, or its outcome still being written: at most twice
 * worker.concurrency of them) ran once more, after it was
 * taken back from the dead server, and the long jobs resumed from their checkpoints. Every job
 * ended exactly once, and every run counted as an attempt.
 */
@ConcurrentClass
class BurstCrashIT {

    private static final int JOBS = 5_000;
    private static final int LONG_JOBS = 4;
    private static final int PRODUCERS = 8;
    /** worker.concurrency, server-config's default. */
    private static final int CONCURRENCY = 16;
    /**
     * The most jobs a server holds claimed and unfinished: its concurrency in running handlers,
     * and as many again whose handler returned and whose outcome is being written.
     */
    private static final int MAX_UNFINISHED = 2 * CONCURRENCY;
    private static final List<String> RAN_ONCE = List.of("QUEUED", "RUNNING", "SUCCEEDED");
    /** Running when the server died: taken back (QUEUED, "its server ... stopped answering"), run again, ended once. */
    private static final List<String> RAN_AGAIN_AFTER_THE_CRASH = List.of("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServer() throws Exception {
        server = SERVERS.create("workerBurstCrashIT", Map.of()).start();
        api = server.api();
    }

    @Test
    void afterKillMinus9MidBurstEveryJobSucceedsAndOnlyThoseRunningAtTheCrashRunAgain() throws Exception {
        List<String> longJobs = IntStream.range(0, LONG_JOBS).mapToObj(i -> submitUntilAccepted(
                "{\"type\": \"sleep\", \"payload\": {\"ms\": 40000, \"steps\": 40}, \"idempotencyKey\": \"burst-long-" + i + "\"}")).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> longJobs.stream().allMatch(id -> step(api.job(id)) >= 2));

        AtomicInteger accepted = new AtomicInteger();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        List<Future<?>> sent = IntStream.range(0, PRODUCERS).<Future<?>>mapToObj(p -> producers.submit(() -> {
            for (int i = p; i < JOBS; i += PRODUCERS) {
                String key = "burst-" + i;
                submitUntilAccepted("{\"type\": \"echo\", \"payload\": " + i + ", \"idempotencyKey\": \"" + key + "\"}");
                keys.add(key);
                accepted.incrementAndGet();
            }
        })).toList();
        await().atMost(Duration.ofSeconds(120)).until(() -> accepted.get() >= JOBS / 5);
        assertTrue(longJobs.stream().allMatch(id -> "RUNNING".equals(api.job(id).getString("state"))), "the long jobs run when the server dies");

        server.kill();
        server.start();
        for (Future<?> producer : sent) {
            producer.get(5, TimeUnit.MINUTES);
        }
        producers.shutdown();
        assertEquals(JOBS, keys.size());

        List<JsonObject> echoes = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> api.allJobs("echo"),
                all -> all.size() >= JOBS && all.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));
        assertEquals(JOBS, echoes.size(), "no job lost");
        assertEquals(keys, echoes.stream().map(j -> j.getString("idempotencyKey")).collect(Collectors.toSet()));
        for (JsonObject echo : echoes) {
            assertEquals(Integer.parseInt(echo.getString("idempotencyKey").substring("burst-".length())), echo.getInt("result"));
        }

        // How often each job ran, from its history (the list leaves history out: each job is read itself).
        List<JsonObject> ranAgain = new ArrayList<>();
        for (JsonObject listed : echoes) {
            JsonObject echo = api.job(listed.getString("id"));
            assertEquals(1, JobHistory.endings(echo), "ended exactly once: " + echo);
            // Nothing is released in this test (no stop, no freeze), so each run is one attempt.
            assertEquals(JobHistory.runs(echo), echo.getInt("attempts"), "every run counted as an attempt: " + echo);
            if (JobHistory.runs(echo) == 1) {
                assertEquals(RAN_ONCE, JobHistory.states(echo), "not interrupted by the crash: ran exactly once: " + echo);
            } else {
                assertEquals(RAN_AGAIN_AFTER_THE_CRASH, JobHistory.states(echo), "ran again only after being taken back from the killed server: " + echo);
                assertEquals(1, JobHistory.recoveries(echo), echo.toString());
                ranAgain.add(echo);
            }
        }
        assertTrue(ranAgain.size() <= MAX_UNFINISHED - LONG_JOBS, "only jobs unfinished when the server died ran again: at most "
                + (MAX_UNFINISHED - LONG_JOBS) + " echoes beside the long jobs, not " + ranAgain.size() + ": " + ranAgain);

        for (String id : longJobs) {
            JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
            assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= 2, "resumed from its checkpoint: " + done);
            assertEquals(RAN_AGAIN_AFTER_THE_CRASH, JobHistory.states(done), "ran on, was taken back once, ran again, ended once: " + done);
            assertEquals(1, JobHistory.recoveries(done), done.toString());
            assertEquals(2, done.getInt("attempts"), done.toString());
        }
    }

    /** Sends the job until the worker answers 202 or 200 (a duplicate): through refused connections and 503s while it restarts. */
    private static String submitUntilAccepted(String body) {
        return await().atMost(Duration.ofMinutes(3)).pollInSameThread().pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO)
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> api.submit(body), answer -> answer.status() == 202 || answer.status() == 200)
                .json().getString("id");
    }

    private static int step(JsonObject job) {
        return job.containsKey("checkpoint") ? job.getJsonObject("checkpoint").getInt("step") : 0;
    }
}
