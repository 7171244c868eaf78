package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.ChattyJob;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job logs: what a handler writes through its JobLog is kept with the job, its last
 * worker.jobs.logLines lines (200 here, the default), each with its attempt and level, and
 * served at GET /api/jobs/{id}/log, to viewers — while the job runs too. The jobs are of a type
 * only this test deploys ({@link ChattyJob}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JobLogsIT {

    private static final String APP = "joblogs";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, ChattyJob.class);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void aJobKeepsItsLastLinesInTheOrderTheyWereWritten() {
        String id = submit("{\"type\": \"chatty\", \"payload\": {\"lines\": 250}}");
        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));

        JsonObject log = log(api.as(User.VIEWER), id);
        assertEquals(200, log.getInt("keeps"));
        List<String> messages = messages(log);
        assertEquals(IntStream.range(50, 250).mapToObj(i -> "line " + i).toList(), messages, "the last 200, oldest first");
        assertTrue(lines(log).stream().allMatch(line -> line.getString("level").equals("INFO") && line.getInt("attempt") == 1), log.toString());
    }

    @Test
    void aRetriedJobShowsEachAttemptsLinesAndTheErrorThatEndedTheFirst() {
        String id = submit("{\"type\": \"chatty\", \"payload\": {\"lines\": 2, \"failTimes\": 1}}");
        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));

        List<JsonObject> lines = lines(log(api, id));
        assertEquals(List.of(1, 1, 1, 2, 2), lines.stream().map(line -> line.getInt("attempt")).toList(), lines.toString());
        assertEquals(List.of("INFO", "INFO", "ERROR", "INFO", "INFO"), lines.stream().map(line -> line.getString("level")).toList());
        assertEquals("giving up this attempt: IllegalStateException: attempt 1 fails as asked", lines.get(2).getString("message"));
    }

    @Test
    void whileAJobRunsItsLinesAreShownAndTheyStayWhenItEnds() {
        String id = submit("{\"type\": \"chatty\", \"payload\": {\"lines\": 3, \"hold\": true}}");
        JsonObject running = await().atMost(Duration.ofSeconds(30)).until(() -> log(api, id), log -> lines(log).size() == 4);
        assertEquals("RUNNING", api.job(id).getString("state"), "the lines are shown before the job ends");
        assertEquals(List.of("line 0", "line 1", "line 2", "holding until cancelled"), messages(running));

        assertEquals(202, api.post("/api/jobs/" + id + "/cancel", "application/json", new byte[0]).status(), "asked to stop");
        api.awaitState(id, "CANCELLED", Duration.ofSeconds(30));
        assertEquals(messages(running), messages(log(api, id)), "written to the store when the attempt ended");
    }

    @Test
    void aJobThatLogsNothingHasAnEmptyLogAndUnknownJobsAndStrangersAreRefused() {
        String id = submit("{\"type\": \"chatty\"}");
        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(List.of(), lines(log(api, id)));

        Answer unknown = api.get("/api/jobs/no-such-job/log");
        assertEquals(404, unknown.status());
        assertEquals("no job no-such-job", unknown.json().getString("message"), unknown.body());
        assertEquals(401, api.anonymous().get("/api/jobs/" + id + "/log").status());
    }

    private String submit(String body) {
        Answer answer = api.submit(body);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().getString("id");
    }

    private static JsonObject log(Api api, String id) {
        Answer answer = api.get("/api/jobs/" + id + "/log");
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    private static List<JsonObject> lines(JsonObject log) {
        return log.getJsonArray("lines").getValuesAs(JsonObject.class);
    }

    private static List<String> messages(JsonObject log) {
        return lines(log).stream().map(line -> line.getString("message")).toList();
    }
}
