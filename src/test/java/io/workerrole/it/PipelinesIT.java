package io.workerrole.it;

import io.workerrole.it.library.ChargeJob;
import io.workerrole.it.library.EnqueuingJob;
import io.workerrole.it.library.OrderPipelines;
import io.workerrole.it.library.RefundJob;
import io.workerrole.it.library.ReleaseJob;
import io.workerrole.it.library.ReserveJob;
import io.workerrole.it.library.ShipJob;
import io.workerrole.it.library.ShoutJob;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pipelines end to end on a real worker, with the README's order pipeline (reserve, charge,
 * ship; release and refund as compensations) in a handler library: a run goes through its steps
 * with each one's result as the next one's payload; a dying step has the steps before it
 * compensated in reverse order, once each; a dying compensation ends the run
 * COMPENSATION_FAILED; starts are idempotent; a fan-out of 100 joins once; the supervisor
 * handles a step past its deadline; a cancelled run is compensated; a run starts from JMS and
 * from code; and, last, a run whose server is killed in the middle of a step finishes after the
 * restart with each step run once.
 */
@ConcurrentClass
class PipelinesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ORDER = """
            {"steps": [
              {"type": "reserve", "compensation": "release"},
              {"type": "charge", "compensation": "refund"},
              {"type": "ship"}
            ]}""";

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServerWithTheOrderHandlers() throws Exception {
        server = SERVERS.create("workerPipelinesIT", Map.of())
                .withHandlerLibrary(ReserveJob.class, ChargeJob.class, ShipJob.class, ReleaseJob.class, RefundJob.class,
                        OrderPipelines.class, EnqueuingJob.class, ShoutJob.class)
                .withJmsProbe()
                .start();
        api = server.api();
        assertEquals(201, api.put("/api/pipelines/order", ORDER).status());
    }

    private static String start(String pipeline, String body) {
        Api.Answer started = api.post("/api/pipelines/" + pipeline + "/runs", "application/json", body.getBytes());
        assertEquals(201, started.status(), started.body());
        assertTrue(started.header("Location").orElseThrow().endsWith("/api/pipelines/runs/" + started.json().getString("id")));
        return started.json().getString("id");
    }

    private static JsonObject run(String id) {
        Api.Answer answer = api.get("/api/pipelines/runs/" + id);
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    private static JsonObject awaitRun(String id, String state) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            last.set(run(id));
            return last.get().getString("state").equals(state) || last.get().getString("finishedAt", null) != null;
        });
        assertEquals(state, last.get().getString("state"), last.get().toString());
        return last.get();
    }

    private static JsonObject step(JsonObject run, String name) {
        return run.getJsonArray("steps").stream().map(JsonValue::asJsonObject)
                .filter(step -> step.getString("name").equals(name)).findFirst().orElseThrow();
    }

    private static JsonObject onlyJob(JsonArray jobs) {
        assertEquals(1, jobs.size(), "one job: " + jobs);
        return jobs.getJsonObject(0);
    }

    @Test
    void anOrderGoesThroughItsStepsEachResultBeingTheNextPayload() {
        String id = start("order", "{\"payload\": {\"order\": \"o-1\"}}");

        JsonObject done = awaitRun(id, "SUCCEEDED");
        JsonObject result = done.getJsonObject("result");
        assertEquals("R-o-1", result.getString("reservation"));
        assertEquals("C-o-1", result.getString("charge"));
        assertEquals("T-o-1", result.getString("tracking"));
        Instant previousEnd = Instant.MIN;
        for (String name : List.of("reserve", "charge", "ship")) {
            JsonObject step = step(done, name);
            assertEquals("SUCCEEDED", step.getString("state"), step.toString());
            JsonObject job = onlyJob(step.getJsonArray("jobs"));
            assertEquals(1, job.getInt("attempts"));
            assertFalse(Instant.parse(job.getString("startedAt")).isBefore(previousEnd), "steps run one after another: " + done);
            previousEnd = Instant.parse(job.getString("finishedAt"));
        }
        JsonObject stepJob = api.job(onlyJob(step(done, "charge").getJsonArray("jobs")).getString("id"));
        assertEquals("PIPELINE", stepJob.getString("source"));
        assertEquals("R-o-1", stepJob.getJsonObject("payload").getString("reservation"), "charge got reserve's result");
    }

    @Test
    void aFailureAtStepThreeCompensatesStepTwoThenStepOneOnceEach() {
        String id = start("order", "{\"payload\": {\"order\": \"o-2\", \"fail\": \"ship\"}}");

        JsonObject done = awaitRun(id, "COMPENSATED");
        assertEquals("ship", done.getString("failedStep"));
        assertTrue(done.getString("error").contains("ship refused order o-2"), done.toString());
        assertEquals("DEAD", step(done, "ship").getString("state"));
        JsonObject refund = onlyJob(step(done, "charge").getJsonArray("compensations"));
        JsonObject release = onlyJob(step(done, "reserve").getJsonArray("compensations"));
        assertEquals("C-o-2", refund.getJsonObject("result").getString("refunded"));
        assertEquals("R-o-2", release.getJsonObject("result").getString("released"));
        assertFalse(Instant.parse(release.getString("startedAt")).isBefore(Instant.parse(refund.getString("finishedAt"))),
                "charge is undone before reserve: " + done);
        assertEquals("COMPENSATED", step(done, "charge").getString("state"));
        assertEquals("COMPENSATED", step(done, "reserve").getString("state"));
    }

    @Test
    void aFailingCompensationEndsTheRunCompensationFailedWithItsJobDead() {
        String id = start("order", "{\"payload\": {\"order\": \"o-3\", \"fail\": \"ship\", \"failUndo\": \"refund\"}}");

        JsonObject done = awaitRun(id, "COMPENSATION_FAILED");
        assertEquals("charge", done.getString("failedStep"), "the step that could not be undone");
        assertTrue(done.getString("error").contains("refund of C-o-3 refused"), done.toString());
        JsonObject refund = onlyJob(step(done, "charge").getJsonArray("compensations"));
        assertEquals("DEAD", api.job(refund.getString("id")).getString("state"), "in the dead letters");
        assertEquals(0, step(done, "reserve").getJsonArray("compensations").size(), "nothing undone after the failure");
    }

    @Test
    void aDuplicateStartMakesOneRun() {
        String key = "order-" + UUID.randomUUID();
        String body = "{\"payload\": {\"order\": \"o-4\"}, \"idempotencyKey\": \"" + key + "\"}";
        String first = start("order", body);

        Api.Answer again = api.post("/api/pipelines/order/runs", "application/json", body.getBytes());
        assertEquals(200, again.status(), again.body());
        assertEquals(first, again.json().getString("id"));
        awaitRun(first, "SUCCEEDED");
        long withKey = api.all("/api/pipelines/runs?pipeline=order&limit=500", "runs").stream()
                .filter(run -> key.equals(run.getString("idempotencyKey", null))).count();
        assertEquals(1, withKey);
    }

    @Test
    void aFanOutOfAHundredJobsJoinsOnceInOrder() {
        assertEquals(201, api.put("/api/pipelines/fan", "{\"steps\": [{\"type\": \"echo\", \"name\": \"split\"}, "
                + "{\"type\": \"shout\", \"fanOut\": true}, {\"type\": \"echo\", \"name\": \"join\"}]}").status());
        String numbers = IntStream.range(0, 100).mapToObj(i -> "\"n" + i + "\"").collect(Collectors.joining(", ", "[", "]"));

        JsonObject done = awaitRun(start("fan", "{\"payload\": " + numbers + "}"), "SUCCEEDED");
        JsonArray result = done.getJsonArray("result");
        assertEquals(100, result.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("N" + i + "!", result.getString(i), "in the order of the input");
        }
        assertEquals(100, step(done, "shout").getJsonArray("jobs").size());
        onlyJob(step(done, "join").getJsonArray("jobs"));
    }

    @Test
    void theSupervisorStartsAStepPastItsDeadlineAgainThenCompensates() {
        assertEquals(201, api.put("/api/pipelines/late", "{\"steps\": [{\"type\": \"echo\", \"compensation\": \"echo\"}, "
                + "{\"type\": \"sleep\", \"deadline\": \"PT2S\", \"deadlineRetries\": 1}]}").status());

        JsonObject done = awaitRun(start("late", "{\"payload\": {\"ms\": 600000}}"), "COMPENSATED");
        assertEquals("sleep", done.getString("failedStep"));
        assertTrue(done.getString("error").contains("deadline"), done.toString());
        JsonArray attempts = step(done, "sleep").getJsonArray("jobs");
        assertEquals(2, attempts.size(), "started once again past its deadline: " + attempts);
        for (JsonValue job : attempts) {
            assertEquals("CANCELLED", job.asJsonObject().getString("state"));
        }
        assertEquals("SUCCEEDED", onlyJob(step(done, "echo").getJsonArray("compensations")).getString("state"));
    }

    @Test
    void aCancelledRunHasItsRunningStepCancelledAndWhatSucceededCompensated() {
        assertEquals(201, api.put("/api/pipelines/long", "{\"steps\": [{\"type\": \"reserve\", \"compensation\": \"release\"}, "
                + "{\"type\": \"sleep\"}]}").status());
        String id = start("long", "{\"payload\": {\"order\": \"o-7\", \"ms\": 600000}}");
        await().atMost(WAIT).until(() -> step(run(id), "sleep").getJsonArray("jobs").stream()
                .anyMatch(job -> job.asJsonObject().getString("state").equals("RUNNING")));

        Api.Answer cancelled = api.post("/api/pipelines/runs/" + id + "/cancel", "application/json", new byte[0]);
        assertEquals(202, cancelled.status(), cancelled.body());

        JsonObject done = awaitRun(id, "CANCELLED");
        assertEquals("CANCELLED", onlyJob(step(done, "sleep").getJsonArray("jobs")).getString("state"));
        assertEquals("R-o-7", onlyJob(step(done, "reserve").getJsonArray("compensations")).getJsonObject("result").getString("released"));
        assertEquals(409, api.post("/api/pipelines/runs/" + id + "/cancel", "application/json", new byte[0]).status());
    }

    @Test
    void runsStartFromAJobMessageAndFromCodeOnAPipelineDeclaredInCode() {
        String key = "jms-" + UUID.randomUUID();
        server.probe().sendMessage("{\"pipeline\": \"order-in-code\", \"payload\": {\"order\": \"o-8\"}, \"idempotencyKey\": \"" + key + "\"}",
                Map.of());
        AtomicReference<String> fromJms = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            api.all("/api/pipelines/runs?pipeline=order-in-code", "runs").stream()
                    .filter(run -> key.equals(run.getString("idempotencyKey", null)))
                    .findFirst().ifPresent(run -> fromJms.set(run.getString("id")));
            return fromJms.get() != null;
        });
        assertEquals("T-o-8", awaitRun(fromJms.get(), "SUCCEEDED").getJsonObject("result").getString("tracking"));

        Api.Answer enqueue = api.submit("{\"type\": \"enqueue\", \"payload\": {\"pipeline\": \"order-in-code\", \"payload\": {\"order\": \"o-9\"}}}");
        String runId = api.awaitState(enqueue.json().getString("id"), "SUCCEEDED", WAIT).getJsonObject("result").getString("id");
        assertEquals("T-o-9", awaitRun(runId, "SUCCEEDED").getJsonObject("result").getString("tracking"));
        JsonObject declared = api.get("/api/pipelines/order-in-code").json();
        assertEquals("CODE", declared.getString("origin"));
        assertEquals(409, api.put("/api/pipelines/order-in-code", ORDER).status(), "a pipeline of the code is not replaced");
    }

    @Test
    void badDefinitionsAndStartsAreRefusedWithTheReason() {
        Api.Answer unknownType = api.put("/api/pipelines/bad", "{\"steps\": [{\"type\": \"no-such-type\"}]}");
        assertEquals(422, unknownType.status());
        assertTrue(unknownType.json().getString("message").contains("no-such-type"), unknownType.body());
        Api.Answer typo = api.put("/api/pipelines/bad", "{\"steps\": [{\"type\": \"echo\", \"compensaton\": \"echo\"}]}");
        assertEquals(422, typo.status());
        assertTrue(typo.json().getString("message").contains("compensaton"), typo.body());
        assertEquals(404, api.get("/api/pipelines/bad").status(), "nothing was stored");
        // Bounds: now plus the deadline must not overflow (it failed every run with a 500), and a run keeps a step's name.
        Api.Answer endless = api.put("/api/pipelines/bad", "{\"steps\": [{\"type\": \"echo\"}, {\"type\": \"sleep\", \"deadline\": \"PT9223372036854775807S\"}]}");
        assertEquals(422, endless.status(), endless.body());
        assertEquals("steps[1].deadline PT2562047788015215H30M7S is longer than PT87600H", endless.json().getString("message"));
        Api.Answer longName = api.put("/api/pipelines/bad", "{\"steps\": [{\"type\": \"echo\", \"name\": \"" + "n".repeat(101) + "\"}]}");
        assertEquals(422, longName.status(), longName.body());
        assertTrue(longName.json().getString("message").startsWith("steps[0].name is longer than 100 characters"), longName.body());
        assertEquals(404, api.get("/api/pipelines/bad").status(), "nothing was stored");

        Api.Answer noPipeline = api.post("/api/pipelines/no-such/runs", "application/json", "{}".getBytes());
        assertEquals(404, noPipeline.status(), noPipeline.body());
        assertEquals(201, api.put("/api/pipelines/spread", "{\"steps\": [{\"type\": \"echo\", \"fanOut\": true}]}").status());
        Api.Answer notAnArray = api.post("/api/pipelines/spread/runs", "application/json", "{\"payload\": {\"n\": 1}}".getBytes());
        assertEquals(422, notAnArray.status(), notAnArray.body());
        assertTrue(notAnArray.json().getString("message").contains("JSON array"), notAnArray.body());
        assertEquals(400, api.get("/api/pipelines/runs?state=NOPE").status());
    }

    @Test
    void aRunWhoseServerIsKilledInTheMiddleOfAStepFinishesWithEachStepRunOnce() throws Exception {
        assertEquals(201, api.put("/api/pipelines/crash", "{\"steps\": [{\"type\": \"echo\", \"name\": \"before\"}, "
                + "{\"type\": \"sleep\"}, {\"type\": \"echo\", \"name\": \"after\"}]}").status());
        String id = start("crash", "{\"payload\": {\"ms\": 8000, \"steps\": 16}}");
        await().atMost(WAIT).until(() -> {
            JsonArray jobs = step(run(id), "sleep").getJsonArray("jobs");
            return !jobs.isEmpty() && api.job(jobs.getJsonObject(0).getString("id")).getInt("progress") >= 25;
        });

        server.kill();
        server.start();

        JsonObject done = awaitRun(id, "SUCCEEDED");
        for (String name : List.of("before", "sleep", "after")) {
            onlyJob(step(done, name).getJsonArray("jobs"));
        }
        JsonObject sleep = onlyJob(step(done, "sleep").getJsonArray("jobs"));
        assertEquals(2, sleep.getInt("attempts"), "the crash cost the step one attempt: " + sleep);
        assertTrue(sleep.getJsonObject("result").getInt("resumedFromStep") >= 4, "resumed from its checkpoint: " + sleep);
        assertEquals(1, onlyJob(step(done, "after").getJsonArray("jobs")).getInt("attempts"));
    }
}
