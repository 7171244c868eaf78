package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Queue-based load leveling: a burst of 10,000 echo messages, far more than the worker runs at
 * once, all reach SUCCEEDED, none lost and none run twice (each carries its own idempotency key).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BurstIT {

    private static final String APP = "burst";
    private static final int JOBS = 10_000;
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @Test
    void aBurstOfTenThousandJobsAllSucceedOnceEach() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        String run = "burst-" + UUID.randomUUID();

        api.sendMessage("{\"type\": \"echo\", \"payload\": {\"i\": {i}}, \"idempotencyKey\": \"" + run + "-{i}\"}",
                Map.of("count", Integer.toString(JOBS)));

        List<JsonObject> mine = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> jobsOf(run), jobs -> jobs.size() == JOBS
                        && jobs.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));

        Map<String, Long> perKey = mine.stream().collect(Collectors.groupingBy(j -> j.getString("idempotencyKey"), Collectors.counting()));
        assertEquals(JOBS, perKey.size(), "every message became a job");
        assertEquals(JOBS, mine.stream().map(j -> j.getJsonObject("payload").getInt("i")).distinct().count());
        assertEquals(1L, perKey.values().stream().mapToLong(Long::longValue).max().orElseThrow(), "no job twice");
        assertEquals(JOBS, mine.stream().filter(j -> j.getInt("attempts") == 1).count(), "each ran once");
        Map<Integer, JsonObject> byIndex = mine.stream().collect(Collectors.toMap(j -> j.getJsonObject("payload").getInt("i"), Function.identity()));
        assertEquals(byIndex.get(1234).getJsonObject("payload"), byIndex.get(1234).get("result"), "results are the payloads");
    }

    private List<JsonObject> jobsOf(String run) {
        return api.allJobs("echo").stream()
                .filter(j -> j.getString("idempotencyKey", "").startsWith(run + "-"))
                .toList();
    }
}
