package io.workerrole.it;

import com.sun.net.httpserver.HttpServer;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the Liberty server while jobs run (reliability matrix R1): after a restart every
 * job that was running resumes from its last checkpoint, every queued job still runs, and each
 * ends SUCCEEDED exactly once. Nothing is lost: not even a callback still owed (R14).
 */
class CrashRecoveryIT {

    private static final int LONG_JOBS = 2;
    private static final int QUEUED_JOBS = 20;
    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServer() throws Exception {
        // Two jobs at a time, so that the short jobs wait in the queue behind the long ones.
        server = LibertyServer.create("workerCrashIT", 19580, 17676, Map.of("worker.concurrency", "2")).start();
        api = server.api();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void afterKillMinus9RunningJobsResumeFromTheirCheckpointsAndQueuedJobsRun() throws Exception {
        List<String> running = IntStream.range(0, LONG_JOBS)
                .mapToObj(i -> submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 20000, \"steps\": 20}, \"idempotencyKey\": \"crash-long-" + i + "\"}"))
                .toList();
        List<String> queued = IntStream.range(0, QUEUED_JOBS)
                .mapToObj(i -> submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 100, \"steps\": 2}, \"idempotencyKey\": \"crash-short-" + i + "\"}"))
                .toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> running.stream().allMatch(id -> step(api.job(id)) >= 3));
        assertTrue(queued.stream().allMatch(id -> "QUEUED".equals(api.job(id).getString("state"))), "the short jobs wait");

        server.kill();
        assertEquals(-1, server.status("/health/live"), "the server is gone");
        server.start();

        for (String id : running) {
            JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
            assertTrue(done.getJsonObject("result").getInt("resumedFromStep") >= 3, "resumed from its checkpoint: " + done);
            assertEquals(2, done.getInt("attempts"), "the crash cost one attempt, and only one");
        }
        for (String id : queued) {
            assertEquals(1, api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60)).getInt("attempts"));
        }
        List<JsonObject> all = api.allJobs("sleep");
        assertEquals(LONG_JOBS + QUEUED_JOBS, all.size(), "no job lost, none doubled");
        assertTrue(all.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));
    }

    @Test
    void aCallbackStillOwedWhenTheServerDiesIsSentAfterTheRestart() throws Exception {
        AtomicBoolean listenerFails = new AtomicBoolean(true);
        List<JsonObject> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        HttpServer listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/done", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (listenerFails.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
            } else {
                delivered.add(Api.parse(body).asJsonObject());
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        listener.start();
        try {
            String url = "http://127.0.0.1:" + listener.getAddress().getPort() + "/done";
            String id = submit("{\"type\": \"echo\", \"payload\": 7, \"callbackUrl\": \"" + url + "\"}");
            api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= 1);

            server.kill();
            listenerFails.set(false);
            server.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> !delivered.isEmpty());
            assertEquals(id, delivered.get(0).getString("jobId"));
            assertEquals("SUCCEEDED", delivered.get(0).getString("state"));
            assertEquals(7, delivered.get(0).getInt("result"));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        } finally {
            listener.stop(0);
        }
    }

    private static String submit(String body) {
        Api.Answer answer = api.submit(body);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().getString("id");
    }

    private static int step(JsonObject job) {
        return job.containsKey("checkpoint") ? job.getJsonObject("checkpoint").getInt("step") : 0;
    }
}
