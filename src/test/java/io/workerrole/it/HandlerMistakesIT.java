package io.workerrole.it;

import io.workerrole.it.mistakes.BadCronJob;
import io.workerrole.it.mistakes.ConstructorlessJob;
import io.workerrole.it.mistakes.FinalTask;
import io.workerrole.it.mistakes.SecondEchoJob;
import io.workerrole.it.mistakes.UnscopedJob;
import io.workerrole.it.library.ShoutJob;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler library with the mistakes authors make: the application still deploys, the worker
 * refuses to start, and /api/role (for a job-viewer) and the log name each class and the fix, instead of an
 * application that fails to deploy with an error about proxies, or job types that silently never run.
 */
@ConcurrentClass
class HandlerMistakesIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;

    @BeforeAll
    static void createServer() throws Exception {
        server = SERVERS.create("workerMistakesIT", Map.of());
    }

    @Test
    void eachMistakeIsNamedWithItsFixAndTheWorkerStaysDown() throws Exception {
        server.withHandlerLibrary(ConstructorlessJob.class, UnscopedJob.class, SecondEchoJob.class, FinalTask.class).launch();
        String problems = startProblems();
        server.stop();

        assertTrue(problems.contains(ConstructorlessJob.class.getName() + " has no constructor without arguments")
                && problems.contains("add a public no-argument constructor"), problems);
        assertTrue(problems.contains(UnscopedJob.class.getName() + " has @JobType but is not a CDI bean")
                && problems.contains("annotate it @ApplicationScoped"), problems);
        assertTrue(problems.contains("Two handlers for job type echo") && problems.contains(SecondEchoJob.class.getName())
                && problems.contains("worker.builtinJobs=false"), problems);
        assertTrue(problems.contains(FinalTask.class.getName() + " is final") && problems.contains("make the class non-final"), problems);

        // The same server with only a bad schedule: the handlers are fine, the schedule is not.
        server.withHandlerLibrary(BadCronJob.class).launch();
        String scheduleProblems = startProblems();

        assertTrue(scheduleProblems.contains("@Scheduled(name = \"bad-cron\") on " + BadCronJob.class.getName() + " is not valid")
                && scheduleProblems.contains("fix the annotation"), scheduleProblems);
        server.stop();

        // A common library with the API jar and a handler, under the full WAR: two copies of the API.
        server.withCommonHandlerLibrary(Path.of("target/worker-role.war"), Path.of("target/api/worker-role-api.jar"), ShoutJob.class).launch();
        String copyProblems = startProblems();

        assertTrue(copyProblems.contains(ShoutJob.class.getName() + " sees another copy of io.workerrole.api")
                && copyProblems.contains("deploy worker-role-thin.war"), copyProblems);
    }

    /**
     * @return the start problems a job-viewer reads at /api/role once the start has failed, one
     *         per line; the open health shows none of them
     */
    private static String startProblems() {
        Api api = server.api();
        JsonObject data = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> healthData(api), d -> "START_FAILED".equals(d.getString("phase", null)));
        assertEquals(503, api.get("/health/ready").status(), "not ready while its start failed");
        assertTrue(data.keySet().stream().noneMatch(k -> k.startsWith("startProblem")), "the open health shows no start problem: " + data);
        List<String> problems = api.as(User.VIEWER).get("/api/role").json().getJsonArray("startProblems").stream()
                .map(p -> ((JsonString) p).getString()).toList();
        assertTrue(!problems.isEmpty(), "no start problem reported: " + data);
        return problems.stream().collect(Collectors.joining("\n"));
    }

    private static JsonObject healthData(Api api) {
        return api.get("/health/live").json().getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> "worker-role".equals(c.getString("name"))).findFirst().orElseThrow().getJsonObject("data");
    }
}
