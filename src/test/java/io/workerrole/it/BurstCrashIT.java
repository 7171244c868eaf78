package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Duration;
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
 * the crash and the restart. In the end every key has exactly one job, SUCCEEDED, and the long
 * jobs that were running resumed from their checkpoints.
 */
class BurstCrashIT {

    private static final int JOBS = 5_000;
    private static final int LONG_JOBS = 4;
    private static final int PRODUCERS = 8;
    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServer() throws Exception {
        server = LibertyServer.create("workerBurstCrashIT", 20080, 18176, Map.of()).start();
        api = server.api();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void afterKillMinus9MidBurstEveryJobSucceedsExactlyOnceByKey() throws Exception {
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
        Map<String, Long> perKey = echoes.stream().collect(Collectors.groupingBy(j -> j.getString("idempotencyKey"), Collectors.counting()));
        assertEquals(JOBS, echoes.size(), "no job lost, none recorded twice");
        assertEquals(keys, perKey.keySet());
        assertTrue(perKey.values().stream().allMatch(n -> n == 1));
        for (JsonObject echo : echoes) {
            assertEquals(Integer.parseInt(echo.getString("idempotencyKey").substring("burst-".length())), echo.getInt("result"));
        }
        for (String id : longJobs) {
            JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
            assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= 2, "resumed from its checkpoint: " + done);
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
