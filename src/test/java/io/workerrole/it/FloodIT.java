package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A burst far above capacity (reliability matrix R15): 50,000 job messages at once, on a worker
 * whose heap is capped at 256 MB. The backlog waits on the queue, not in memory: every message
 * becomes its job, each job succeeds after exactly one attempt (it ran once), liveness answers
 * UP throughout, and the heap never runs out.
 */
// Alone: fifty thousand jobs keep both cores busy for minutes, and liveness is asserted throughout.
@Isolated
class FloodIT {

    private static final int MESSAGES = 50_000;
    private static final int PER_SEND = 2_000;
    private static final String HEAP = "-Xmx256m";

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;
    private static Api probe;

    @BeforeAll
    static void startServer() throws Exception {
        server = SERVERS.create("workerFloodIT", Map.of()).withJmsProbe().jvmOptions(HEAP).start();
        api = server.api();
        probe = server.probe();
    }

    @Test
    void fiftyThousandMessagesAtOnceEachRunOnceAndSucceedInABoundedHeapWhileTheWorkerStaysLive() throws Exception {
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
        Set<String> keys = jobs.stream().map(j -> j.getString("idempotencyKey")).collect(Collectors.toSet());
        assertEquals(expectedKeys(), keys, "none lost");
        assertEquals(List.of(), firstTen(jobs, j -> !"SUCCEEDED".equals(j.getString("state"))), "every job succeeded (the first ten that did not)");
        // Each claim counts an attempt and the handler runs only for a claim; nothing is released
        // here (no stop, no freeze), so one attempt is one run.
        assertEquals(List.of(), firstTen(jobs, j -> j.getInt("attempts") != 1), "every job ran once (the first ten that did not)");
        assertFalse(logsMention("OutOfMemoryError"), "the heap (" + HEAP + ") never ran out");
    }

    private static List<JsonObject> firstTen(List<JsonObject> jobs, Predicate<JsonObject> wrong) {
        return jobs.stream().filter(wrong).limit(10).toList();
    }

    /** The keys sent: flood-FIRST-i for each send of PER_SEND messages. */
    private static Set<String> expectedKeys() {
        Set<String> keys = new HashSet<>();
        for (int first = 0; first < MESSAGES; first += PER_SEND) {
            for (int i = 0; i < PER_SEND; i++) {
                keys.add("flood-" + first + "-" + i);
            }
        }
        return keys;
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
