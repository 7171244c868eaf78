package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.StateChangeRecorder;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs over HTTP: submit, follow to the result, list; bad input answered with a JSON error. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpJobsIT {

    private static final String APP = "httpjobs";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, StateChangeRecorder.class);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void anEchoJobRunsAndItsResultIsThePayload() {
        Answer accepted = api.submit("{\"type\": \"echo\", \"payload\": {\"greeting\": \"hello\", \"n\": 7}}");

        assertEquals(202, accepted.status(), accepted.body());
        String id = accepted.json().getString("id");
        assertTrue(accepted.header("Location").orElseThrow().endsWith("/" + APP + "/api/jobs/" + id));
        assertEquals("QUEUED", accepted.json().getString("state"));

        JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(Api.parse("{\"greeting\": \"hello\", \"n\": 7}"), done.get("result"));
        assertEquals("HTTP", done.getString("source"));
        assertEquals(1, done.getInt("attempts"));
        assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"),
                done.getJsonArray("history").stream().map(t -> t.asJsonObject().getString("state")).toList());
    }

    @Test
    void everyStateChangeIsACdiEvent() {
        String id = api.submit("{\"type\": \"echo\", \"payload\": 1}").json().getString("id");
        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(10)).until(() -> WorkerServer.journal(APP).stream()
                .filter(e -> e.startsWith("event:" + id + ":")).toList(), events -> events.size() == 3);
        List<String> events = WorkerServer.journal(APP).stream().filter(e -> e.startsWith("event:" + id + ":"))
                .map(e -> e.substring(e.lastIndexOf(':') + 1)).sorted().toList();
        assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), events, "asynchronous, so in any order");
    }

    @Test
    void aDelayedJobWaitsScheduledAndRunsOnTime() {
        Answer accepted = api.submit("{\"type\": \"echo\", \"payload\": \"later\", \"delay\": \"PT2S\"}");

        assertEquals(202, accepted.status(), accepted.body());
        assertEquals("SCHEDULED", accepted.json().getString("state"));
        Instant runAt = Instant.parse(accepted.json().getString("runAt"));
        JsonObject done = api.awaitState(accepted.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(30));
        Instant started = Instant.parse(done.getString("startedAt"));
        assertFalse(started.isBefore(runAt), "started " + started + ", due " + runAt);
        assertTrue(started.isBefore(runAt.plusSeconds(2)), "started " + started + ", due " + runAt);
        assertEquals(List.of("SCHEDULED", "QUEUED", "RUNNING", "SUCCEEDED"),
                done.getJsonArray("history").stream().map(t -> t.asJsonObject().getString("state")).toList());
    }

    @Test
    void aCancelledScheduledJobNeverRunsAndAFinishedOneCannotBeCancelled() {
        String id = api.submit("{\"type\": \"echo\", \"delay\": \"PT1S\"}").json().getString("id");

        Answer cancelled = api.post("/api/jobs/" + id + "/cancel", "application/json", new byte[0]);
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("CANCELLED", cancelled.json().getString("state"));
        String later = api.submit("{\"type\": \"echo\", \"delay\": \"PT1S\"}").json().getString("id");
        api.awaitState(later, "SUCCEEDED", Duration.ofSeconds(30));
        JsonObject job = api.job(id);
        assertEquals("CANCELLED", job.getString("state"), "a job due before the next one ran has not run");
        assertFalse(job.containsKey("startedAt"), job.toString());

        Answer again = api.post("/api/jobs/" + later + "/cancel", "application/json", new byte[0]);
        assertEquals(409, again.status(), again.body());
        assertTrue(again.json().getString("message").contains("already finished"), again.body());
        assertEquals(404, api.post("/api/jobs/no-such-job/cancel", "application/json", new byte[0]).status());
    }

    @Test
    void aRunningJobIsToldItIsCancelledAndEndsCancelled() {
        String id = api.submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 60000, \"steps\": 60}}").json().getString("id");
        api.awaitState(id, "RUNNING", Duration.ofSeconds(30));

        Answer requested = api.post("/api/jobs/" + id + "/cancel", "application/json", new byte[0]);
        assertEquals(202, requested.status(), requested.body());
        assertTrue(requested.json().getBoolean("cancelRequested"), requested.body());
        JsonObject cancelled = api.awaitState(id, "CANCELLED", Duration.ofSeconds(10));
        assertEquals(1, cancelled.getInt("attempts"), "it is not retried");
        assertEquals(List.of("QUEUED", "RUNNING", "CANCELLED"),
                cancelled.getJsonArray("history").stream().map(t -> t.asJsonObject().getString("state")).toList());
    }

    @Test
    void aJobWaitsWhileAnotherOfItsMutexRunsSayingWhichAndRunsOnceItEnds() {
        String key = "account-" + UUID.randomUUID();
        String holder = api.submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 60000, \"steps\": 60}, \"mutex\": \"" + key + "\"}")
                .json().getString("id");
        assertEquals(key, api.awaitState(holder, "RUNNING", Duration.ofSeconds(30)).getString("mutex"));
        String waiting = api.submit("{\"type\": \"echo\", \"payload\": 1, \"mutex\": \"" + key + "\"}").json().getString("id");
        String free = api.submit("{\"type\": \"echo\", \"payload\": 2}").json().getString("id");

        api.awaitState(free, "SUCCEEDED", Duration.ofSeconds(30));
        JsonObject queued = api.job(waiting);
        assertEquals("QUEUED", queued.getString("state"), "a job without the key ran meanwhile; this one waits: " + queued);
        assertEquals("mutex " + key + " is held by job " + holder, queued.getString("waiting"));

        assertEquals(202, api.post("/api/jobs/" + holder + "/cancel", "application/json", new byte[0]).status());
        JsonObject ran = api.awaitState(waiting, "SUCCEEDED", Duration.ofSeconds(30));
        assertFalse(ran.containsKey("waiting"), ran.toString());
    }

    /** Derby's TIMESTAMP ends with the year 9999: a filter past it is a 400 naming it, not the store's 503. */
    @Test
    void aListFilterInstantOutsideTheYearsTheStoreKeepsIs400NamingIt() {
        for (String filter : new String[] {"from=%2B10000-01-01T00:00:00Z", "to=%2B999999999-01-01T00:00:00Z", "from=1969-12-31T23:59:59Z"}) {
            Answer answer = api.get("/api/jobs?" + filter);
            assertEquals(400, answer.status(), filter + " -> " + answer.body());
            String name = filter.substring(0, filter.indexOf('='));
            assertTrue(answer.json().getString("message").startsWith(name + " must be an instant from 1970-01-01T00:00:00Z to 9999-12-30T00:00:00Z"),
                    answer.body());
        }
        assertEquals(400, api.post("/api/jobs/requeue?from=%2B10000-01-01T00:00:00Z", "application/json", new byte[0]).status(),
                "the requeue reads the same filter");
        assertEquals(200, api.get("/api/jobs?from=1970-01-01T00:00:00Z&to=9999-12-30T00:00:00Z").status(), "the bounds themselves are taken");
    }

    @Test
    void aRunTimeLongPastIsRefused() {
        Answer refused = api.submit("{\"type\": \"echo\", \"runAt\": \"2020-01-01T00:00:00Z\"}");

        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.json().getString("message").contains("in the past"), refused.body());
    }

    @Test
    void aFailingJobIsRetriedUntilItSucceeds() {
        String id = api.submit("{\"type\": \"fail\", \"payload\": {\"message\": \"flaky\", \"times\": 2}}").json().getString("id");

        JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(3, done.getInt("attempts"));
        List<String> states = done.getJsonArray("history").stream().map(t -> t.asJsonObject().getString("state")).toList();
        assertEquals(List.of("QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "SUCCEEDED"), states,
                "a failed attempt waits out its backoff, then queues again");
    }

    @Test
    void aJobThatAlwaysFailsEndsDeadWithItsError() {
        String id = api.submit("{\"type\": \"fail\", \"payload\": {\"message\": \"always broken\"}}").json().getString("id");

        JsonObject dead = api.awaitState(id, "DEAD", Duration.ofSeconds(30));
        assertEquals(5, dead.getInt("attempts"), "worker.retry.maxAttempts defaults to worker.maxDeliveries, 5");
        assertTrue(dead.getString("error").contains("always broken"), dead.toString());
    }

    @Test
    void jobsAreListedNewestFirstByStateAndTypeAndPaged() {
        String marker = UUID.randomUUID().toString();
        List<String> ids = Stream.of(1, 2, 3)
                .map(i -> api.submit("{\"type\": \"echo\", \"payload\": \"" + marker + i + "\"}").json().getString("id"))
                .toList();
        ids.forEach(id -> api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30)));

        JsonObject firstPage = api.get("/api/jobs?type=echo&state=SUCCEEDED&limit=2").json();
        List<String> pageIds = firstPage.getJsonArray("jobs").stream().map(j -> j.asJsonObject().getString("id")).toList();
        assertEquals(List.of(ids.get(2), ids.get(1)), pageIds, "newest first");
        assertTrue(firstPage.containsKey("next"), "a full page links to the next one");

        List<String> all = api.allJobs("echo").stream().map(j -> j.getString("id")).toList();
        assertTrue(all.containsAll(ids));
        assertEquals(all.size(), all.stream().distinct().count(), "paging repeats no job");
    }

    @Test
    void anUnknownJobIs404WithAJsonError() {
        Answer answer = api.get("/api/jobs/" + UUID.randomUUID());
        assertEquals(404, answer.status());
        assertTrue(answer.json().getString("message").startsWith("no job"));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("not JSON", "{\"type\": \"echo\",", 400, "not valid JSON"),
                Arguments.of("not an object", "\"echo\"", 400, "must be a JSON object"),
                Arguments.of("two job messages in one", "{\"type\": \"echo\"} {\"type\": \"fail\"}", 400, "more after the JSON value"),
                Arguments.of("a batch that is not JSON", "[{\"type\": \"echo\"", 400, "not valid JSON"),
                Arguments.of("an empty batch", "[]", 422, "empty"),
                Arguments.of("empty", "", 400, "empty"),
                Arguments.of("missing type", "{\"payload\": 1}", 422, "\"type\" is required"),
                Arguments.of("unknown type", "{\"type\": \"no-such-type\"}", 422, "unknown job type"),
                Arguments.of("type not a string", "{\"type\": 42}", 422, "\"type\" must be a string"),
                Arguments.of("priority not a number", "{\"type\": \"echo\", \"priority\": \"high\"}", 422, "\"priority\" must be a whole number"),
                Arguments.of("priority out of range", "{\"type\": \"echo\", \"priority\": 12}", 422, "from 0 to 9"),
                Arguments.of("sequence not an object", "{\"type\": \"echo\", \"sequence\": 3}", 422, "\"sequence\" must be an object"),
                Arguments.of("callback not http", "{\"type\": \"echo\", \"callbackUrl\": \"ftp://x/y\"}", 422, "http or https"),
                Arguments.of("too deeply nested", "{\"type\": \"echo\", \"payload\": " + "[".repeat(5000) + "]".repeat(5000) + "}", 400, "not valid JSON"),
                Arguments.of("a delay of Long.MAX_VALUE seconds", "{\"type\": \"echo\", \"delay\": \"PT9223372036854775807S\"}", 422,
                        "\"delay\" PT9223372036854775807S is longer than PT8760H (worker.jobs.maxDelay)"),
                Arguments.of("a delay over maxDelay", "{\"type\": \"echo\", \"delay\": \"P366D\"}", 422, "\"delay\" P366D is longer than"),
                Arguments.of("a runAt in the year 999999999", "{\"type\": \"echo\", \"runAt\": \"+999999999-01-01T00:00:00Z\"}", 422,
                        "\"runAt\" +999999999-01-01T00:00:00Z is more than"),
                Arguments.of("an idempotency key over 200 characters", "{\"type\": \"echo\", \"idempotencyKey\": \"" + "k".repeat(201) + "\"}", 422,
                        "\"idempotencyKey\" must be 1 to 200 characters"),
                Arguments.of("a sequence key over 200 characters", "{\"type\": \"echo\", \"sequence\": {\"key\": \"" + "k".repeat(201)
                        + "\", \"number\": 1}}", 422, "\"sequence.key\" must be 1 to 200 characters"),
                Arguments.of("a mutex over 200 characters", "{\"type\": \"echo\", \"mutex\": \"" + "m".repeat(201) + "\"}", 422,
                        "\"mutex\" must be 1 to 200 characters"),
                Arguments.of("a mutex not a string", "{\"type\": \"echo\", \"mutex\": [\"a\"]}", 422, "\"mutex\" must be a string"),
                Arguments.of("a type over 100 characters", "{\"type\": \"" + "t".repeat(101) + "\"}", 422, "\"type\" must be 1 to 100"),
                Arguments.of("a batch element with a delay of Long.MAX_VALUE seconds", "[{\"type\": \"echo\", \"delay\": \"PT9223372036854775807S\"}]",
                        200, "\"delay\" PT9223372036854775807S is longer than"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAClearJsonErrorAndGoodWorkGoesOn(String what, String body, int status, String reason) {
        Answer answer = api.submit(body);

        assertEquals(status, answer.status(), answer.body());
        // A batch answers 200 with each element's outcome: its one element is the refusal.
        JsonObject error = status == 200 ? answer.json().getJsonArray("jobs").getJsonObject(0) : answer.json();
        assertEquals(status == 200 ? 422 : status, error.getInt("status"), answer.body());
        assertTrue(error.getString(status == 200 ? "error" : "message").contains(reason), answer.body());
        String id = api.submit("{\"type\": \"echo\", \"payload\": \"still fine\"}").json().getString("id");
        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
    }

    @Test
    void aBatchIsRecordedWithOneResultPerElementInOrderEachJudgedOnItsOwn() {
        String key = "batch-" + UUID.randomUUID();
        String earlier = api.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\"}").json().getString("id");

        Answer answer = api.submit("[{\"type\": \"echo\", \"payload\": \"first\"},"
                + " {\"payload\": 1},"
                + " {\"type\": \"no-such-type\"},"
                + " 42,"
                + " {\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\"},"
                + " {\"type\": \"echo\", \"payload\": \"last\"}]");

        assertEquals(200, answer.status(), answer.body());
        List<JsonObject> results = answer.json().getJsonArray("jobs").getValuesAs(JsonObject.class);
        assertEquals(List.of(202, 422, 422, 400, 200, 202), results.stream().map(r -> r.getInt("status")).toList(), answer.body());
        assertTrue(results.get(1).getString("error").contains("\"type\" is required"), answer.body());
        assertTrue(results.get(2).getString("error").contains("unknown job type"), answer.body());
        assertTrue(results.get(3).getString("error").contains("must be a JSON object"), answer.body());
        assertEquals(earlier, results.get(4).getString("id"), "the duplicate is answered with the earlier job");
        assertEquals(Api.parse("\"first\""), api.awaitState(results.get(0).getString("id"), "SUCCEEDED", Duration.ofSeconds(30)).get("result"));
        assertEquals(Api.parse("\"last\""), api.awaitState(results.get(5).getString("id"), "SUCCEEDED", Duration.ofSeconds(30)).get("result"));
    }

    @Test
    void aBatchOverTheLimitOfJobMessagesIs413AndNothingOfItIsRecorded() {
        String marker = "over-" + UUID.randomUUID();
        String batch = "[" + String.join(", ", java.util.Collections.nCopies(1001,
                "{\"type\": \"echo\", \"payload\": \"" + marker + "\"}")) + "]";
        Answer answer = api.submit(batch);
        assertEquals(413, answer.status(), answer.body());
        assertTrue(answer.json().getString("message").contains("1000"), answer.body());
        assertTrue(api.get("/api/jobs?type=echo&limit=500").body().indexOf(marker) < 0, "no job of the refused batch is recorded");
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        String big = "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(1_048_576) + "\"}";
        Answer answer = api.submit(big);
        assertEquals(413, answer.status(), answer.body());
        assertTrue(answer.json().getString("message").contains("1048576"));
    }

    @Test
    void invalidUtf8Is400() {
        byte[] body = "{\"type\": \"echo\", \"payload\": \"??\"}".getBytes(StandardCharsets.US_ASCII);
        body[body.length - 4] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        Answer answer = api.post("/api/jobs", "application/json", body);
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().getString("message").contains("UTF-8"));
    }

    @Test
    void aWrongMediaTypeIs415WithAJsonError() {
        Answer answer = api.post("/api/jobs", "application/xml", "<job/>".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, answer.status());
        assertEquals(415, answer.json().getInt("status"));
    }
}
