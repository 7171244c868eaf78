package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst far above capacity (reliability matrix R15): 50,000 job messages at once, on a worker
 * whose heap is capped at 256 MB. The backlog waits on the queue, not in memory: every job
 * succeeds once, liveness answers UP throughout, and the heap never runs out.
 */
class FloodIT {

    private static final int MESSAGES = 50_000;
    private static final int PER_SEND = 2_000;
    private static final String HEAP = "-Xmx256m";
    private static LibertyServer server;
    private static Api api;
    private static Api probe;

    @BeforeAll
    static void startServer() throws Exception {
        server = LibertyServer.create("workerFloodIT", 20280, 18376, Map.of()).withJmsProbe().jvmOptions(HEAP).start();
        api = server.api();
        probe = server.probe();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void fiftyThousandMessagesAtOnceAllSucceedInABoundedHeapWhileTheWorkerStaysLive() throws Exception {
        List<String> notLive = new CopyOnWriteArrayList<>();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> {
            int status = server.status("/health/live");
            if (status != 200) {
                notLive.add(status + " at " + Instant.now());
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        try {
            for (int first = 0; first < MESSAGES; first += PER_SEND) {
                probe.sendMessage("{\"type\": \"echo\", \"payload\": {\"n\": {i}}, \"idempotencyKey\": \"flood-" + first + "-{i}\"}",
                        Map.of("count", Integer.toString(PER_SEND)));
            }
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> probe.depth("jms/worker/jobs") == 0 && none("QUEUED") && none("RUNNING") && none("FAILED"));
        } finally {
            watcher.shutdownNow();
        }

        assertEquals(List.of(), notLive, "liveness answered UP throughout");
        List<JsonObject> jobs = api.allJobs("echo");
        Map<String, Long> perKey = jobs.stream().collect(Collectors.groupingBy(j -> j.getString("idempotencyKey"), Collectors.counting()));
        assertEquals(MESSAGES, perKey.size(), "none lost");
        assertTrue(perKey.values().stream().allMatch(n -> n == 1), "none doubled");
        assertTrue(jobs.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));
        assertFalse(logsMention("OutOfMemoryError"), "the heap (" + HEAP + ") never ran out");
    }

    private static boolean none(String state) {
        return api.get("/api/jobs?type=echo&limit=1&state=" + state).json().getJsonArray("jobs").isEmpty();
    }

    private static boolean logsMention(String text) throws IOException {
        try (Stream<Path> logs = Files.walk(server.dir().resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
