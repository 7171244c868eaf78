package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.Schedules;
import io.workerrole.it.support.TickJob;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules on one real server: cron firings on their instants as jobs, no overlap, fixed delay,
 * pause and resume, freeze, server.xml and code declarations, and clear errors for bad
 * definitions. The assertions are of order, counts and outcomes: how late a firing runs on a
 * busy machine is measured by the benchmark (bench/), not asserted here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SchedulesIT {

    private static final String APP = "schedules";
    private static final String OVERRIDE = "schedules-it.xml";
    /** Schedule names end with this run's own suffix: the server's database outlives a test run. */
    private static final String RUN = "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private final Api api = new Api(APP);
    /** A cron expression that reads (every Monday), longer than the 200 characters the store keeps. */
    private static final String LONG_CRON = "0 0 0 * * " + "MON,".repeat(50) + "MON";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, TickJob.class);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    /**
     * Schedules live in the server's database, shared by the next tests: delete those created
     * here. (code-tick goes when the next deployment starts without its handler.)
     */
    @AfterEach
    void removeSchedules() {
        WorkerServer.setFreezeInServerXml(false);
        schedules().stream().filter(s -> "API".equals(s.getString("origin")))
                .forEach(s -> api.delete("/api/schedules/" + s.getString("name")));
    }

    @Test
    void aCronScheduleEverySecondFiresOnWholeSecondsNeverEarlyAndEachFiringIsAJobEnqueuedAtItsInstant() {
        Instant beforeCreation = Instant.now();
        Answer created = api.post("/api/schedules", "application/json",
                bytes("{\"name\": \"every-second" + RUN + "\", \"cron\": \"* * * * * *\", \"zone\": \"Europe/Paris\", \"type\": \"echo\", \"payload\": {\"n\": 1}}"));
        assertEquals(201, created.status(), created.body());
        assertTrue(created.header("Location").orElseThrow().endsWith("/" + APP + "/api/schedules/every-second" + RUN));
        assertEquals("CRON", created.json().getString("kind"));
        assertEquals("API", created.json().getString("origin"));
        assertTrue(Instant.parse(created.json().getString("nextFiringAt")).isAfter(beforeCreation), "its next firing is after its creation: " + created.body());

        List<JsonObject> ran = await().atMost(Duration.ofSeconds(30)).until(() -> firings("every-second" + RUN, "RAN"), f -> f.size() >= 4);

        // Which seconds fire, and how late, depends on the load: an instant more than the grace
        // behind is dropped, not caught up. What holds whatever the load is checked here.
        for (JsonObject firing : ran) {
            Instant scheduledFor = Instant.parse(firing.getString("scheduledFor"));
            assertEquals(0, scheduledFor.getNano(), "on the whole second: " + firing);
            assertTrue(scheduledFor.isAfter(beforeCreation), "no firing from before the schedule existed: " + firing);
            assertFalse(Instant.parse(firing.getString("recordedAt")).isBefore(scheduledFor), "never early: " + firing);
            JsonObject job = api.awaitState(firing.getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30));
            assertEquals("SCHEDULE", job.getString("source"));
            assertEquals(Api.parse("{\"n\": 1}"), job.get("result"));
            assertEquals(firing.getString("scheduledFor"), job.getString("enqueuedAt"), "a scheduled job is enqueued at its instant");
            assertFalse(Instant.parse(job.getString("startedAt")).isBefore(scheduledFor), "and starts no earlier: " + job);
        }
        assertEquals(ran.size(), ran.stream().map(f -> f.getString("jobId")).distinct().count(), "a job of its own for each firing: " + ran);
        JsonObject listed = schedule("every-second" + RUN);
        assertTrue(listed.containsKey("lastFiring"), listed.toString());
        assertTrue(listed.containsKey("nextFiringAt"), listed.toString());
    }

    @Test
    void aRunLongerThanItsPeriodIsNeverOverlappedAndTheSkipIsRecorded() {
        create("{\"name\": \"slow" + RUN + "\", \"cron\": \"* * * * * *\", \"type\": \"sleep\", \"payload\": {\"ms\": 2500}}");

        await().atMost(Duration.ofSeconds(40)).until(() -> firings("slow" + RUN, "RAN").size() >= 3 && firings("slow" + RUN, "SKIPPED_OVERLAP").size() >= 3);
        api.post("/api/schedules/slow" + RUN + "/pause", "application/json", new byte[0]);

        JsonObject skip = firings("slow" + RUN, "SKIPPED_OVERLAP").get(0);
        assertTrue(skip.getString("detail").contains("is still"), skip.toString());
        List<JsonObject> runs = new ArrayList<>();
        for (JsonObject firing : firings("slow" + RUN, "RAN")) {
            runs.add(api.awaitState(firing.getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30)));
        }
        runs.sort(Comparator.comparing(job -> Instant.parse(job.getString("startedAt"))));
        for (int i = 1; i < runs.size(); i++) {
            Instant previousEnd = Instant.parse(runs.get(i - 1).getString("finishedAt"));
            Instant nextStart = Instant.parse(runs.get(i).getString("startedAt"));
            assertFalse(nextStart.isBefore(previousEnd), "run " + i + " started before run " + (i - 1) + " ended: " + runs);
        }
    }

    @Test
    void aFixedDelayScheduleFiresItsDelayAfterThePreviousRunEnded() {
        create("{\"name\": \"spaced" + RUN + "\", \"delay\": \"PT1S\", \"type\": \"sleep\", \"payload\": {\"ms\": 700}}");

        await().atMost(Duration.ofSeconds(40)).until(() -> firings("spaced" + RUN, "RAN").size() >= 3);
        api.post("/api/schedules/spaced" + RUN + "/pause", "application/json", new byte[0]);

        assertTrue(firings("spaced" + RUN, "SKIPPED_OVERLAP").isEmpty(), "a fixed delay waits for the run instead of skipping");
        List<JsonObject> ran = new ArrayList<>(firings("spaced" + RUN, "RAN"));
        ran.sort(Comparator.comparing(f -> Instant.parse(f.getString("scheduledFor"))));
        for (int i = 1; i < ran.size(); i++) {
            JsonObject previous = api.awaitState(ran.get(i - 1).getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30));
            Instant due = Instant.parse(ran.get(i).getString("scheduledFor"));
            Instant previousEnd = Instant.parse(previous.getString("finishedAt"));
            // Due is what the schedule planned (the end it read plus the delay), whenever it got to fire it.
            assertEquals(previousEnd.plusSeconds(1), due, "firing " + i + " is due a second after run " + (i - 1) + " ended");
        }
    }

    @Test
    void aPausedScheduleDoesNotFireAndResumesAtItsNextFiring() {
        create("{\"name\": \"pausable" + RUN + "\", \"every\": \"PT0.5S\", \"type\": \"echo\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> firings("pausable" + RUN, "RAN").size() >= 2);

        JsonObject paused = api.post("/api/schedules/pausable" + RUN + "/pause", "application/json", new byte[0]).json();
        assertTrue(paused.getBoolean("paused"));
        assertFalse(paused.containsKey("nextFiringAt"));
        int firedBefore = firings("pausable" + RUN, null).size();
        Instant pausedAt = Instant.now();
        // Nothing fires for three periods and more (awaited as a condition that must hold throughout;
        // one firing under way when the pause came may still be recorded).
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> firings("pausable" + RUN, null).size() <= firedBefore + 1);
        int afterPause = firings("pausable" + RUN, null).size();

        Instant beforeResume = Instant.now();
        api.post("/api/schedules/pausable" + RUN + "/resume", "application/json", new byte[0]);
        await().atMost(Duration.ofSeconds(20)).until(() -> firings("pausable" + RUN, "RAN").size() >= afterPause + 2);
        assertTrue(firings("pausable" + RUN, "MISSED").isEmpty(), "the paused time is not owed");
        // A firing under way when the pause came is for an instant before it; the first after
        // the resume is for an instant after it: none is for an instant in between.
        assertEquals(List.of(), firings("pausable" + RUN, null).stream().filter(f -> {
            Instant at = Instant.parse(f.getString("scheduledFor"));
            return at.isAfter(pausedAt) && !at.isAfter(beforeResume);
        }).toList(), "no firing for an instant while it was paused");
    }

    @Test
    void whileFrozenFiringsAreSkippedAndRecordedThenTheScheduleGoesOn() {
        create("{\"name\": \"frozen" + RUN + "\", \"cron\": \"* * * * * *\", \"type\": \"echo\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> firings("frozen" + RUN, "RAN").size() >= 1);

        WorkerServer.setFreezeInServerXml(true);
        List<JsonObject> skipped = await().atMost(Duration.ofSeconds(20)).until(() -> firings("frozen" + RUN, "SKIPPED_FROZEN"), f -> f.size() >= 2);
        assertTrue(skipped.get(0).getString("detail").contains("frozen"), skipped.toString());
        assertFalse(skipped.get(0).containsKey("jobId"));

        Instant unfrozen = Instant.now();
        WorkerServer.setFreezeInServerXml(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> firings("frozen" + RUN, "RAN").stream()
                .anyMatch(f -> Instant.parse(f.getString("scheduledFor")).isAfter(unfrozen)));
    }

    @Test
    void anAdminDeclaresSchedulesInServerXmlAndABadOneIsLoggedWhileTheOthersRun() {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        WorkerServer.writeOverride(OVERRIDE, """
                    <variable name="worker.schedule.xml-tick%1$s.cron" value="*/2 * * * * *"/>
                    <variable name="worker.schedule.xml-tick%1$s.zone" value="UTC"/>
                    <variable name="worker.schedule.xml-tick%1$s.type" value="echo"/>
                    <variable name="worker.schedule.xml-tick%1$s.payload" value='{"from": "server.xml"}'/>
                    <variable name="worker.schedule.xml-bad.cron" value="0 0 25 * * *"/>
                    <variable name="worker.schedule.xml-bad.type" value="echo"/>
                    <variable name="worker.schedule.xml-badzone.cron" value="* * * * * *"/>
                    <variable name="worker.schedule.xml-badzone.zone" value="Mars/Olympus_Mons"/>
                    <variable name="worker.schedule.xml-badzone.type" value="echo"/>
                    <variable name="worker.schedule.xml-huge.every" value="PT9223372036854775807S"/>
                    <variable name="worker.schedule.xml-huge.type" value="echo"/>
                    <variable name="worker.schedule.xml-longcron.cron" value="%2$s"/>
                    <variable name="worker.schedule.xml-longcron.type" value="echo"/>
                """.formatted(RUN, LONG_CRON));

        try {
            JsonObject firing = await().atMost(Duration.ofSeconds(30)).until(() -> firings("xml-tick" + RUN, "RAN"), f -> !f.isEmpty()).get(0);
            JsonObject job = api.awaitState(firing.getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30));
            assertEquals(Api.parse("{\"from\": \"server.xml\"}"), job.get("result"));
            JsonObject declared = schedule("xml-tick" + RUN);
            assertEquals("SERVER_XML", declared.getString("origin"));
            assertEquals(0, Instant.parse(firing.getString("scheduledFor")).getEpochSecond() % 2, "every even second");

            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream().anyMatch(l -> l.contains("[schedule xml-bad]") && l.contains("hours")));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("[schedule xml-badzone]") && l.contains("not a time zone")), log.lines().toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("[schedule xml-huge]") && l.contains("at most PT87600H")), log.lines().toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("[schedule xml-longcron]") && l.contains("cron is longer than 200 characters")),
                    log.lines().toString());
            assertTrue(schedules().stream().noneMatch(s -> s.getString("name").startsWith("xml-bad")), "bad declarations are not stored");

            Answer delete = api.delete("/api/schedules/xml-tick" + RUN);
            assertEquals(409, delete.status());
            assertTrue(delete.json().getString("message").contains("server.xml"), delete.body());
        } finally {
            WorkerServer.removeOverride(OVERRIDE);
            // A declaration that goes from server.xml is deleted once it has stayed gone for 10 s.
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/schedules/xml-tick" + RUN).status() == 404);
        }
    }

    @Test
    void aScheduleDeclaredInCodeRuns() {
        JsonObject firing = await().atMost(Duration.ofSeconds(30)).until(() -> firings("code-tick", "RAN"), f -> !f.isEmpty()).get(0);
        JsonObject job = api.awaitState(firing.getString("jobId"), "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals("tick", job.getString("type"));
        assertEquals(Api.parse("{\"from\": \"code\"}"), job.get("result"));
        assertEquals("CODE", schedule("code-tick").getString("origin"));

        Answer change = api.put("/api/schedules/code-tick", "{\"every\": \"PT5S\", \"type\": \"tick\"}");
        assertEquals(409, change.status());
        assertTrue(change.json().getString("message").contains("@Scheduled"), change.body());
    }

    @Test
    void badDefinitionsAreRefusedWithTheReason() {
        assertRefused(422, "{\"name\": \"b\", \"cron\": \"61 * * * * *\", \"type\": \"echo\"}", "cron");
        assertRefused(422, "{\"name\": \"b\", \"cron\": \"* * * * * *\", \"zone\": \"Nowhere/Special\", \"type\": \"echo\"}", "time zone");
        assertRefused(422, "{\"name\": \"b\", \"every\": \"PT1S\", \"type\": \"no-such-type\"}", "unknown job type");
        assertRefused(422, "{\"name\": \"b\", \"every\": \"PT1S\", \"cron\": \"* * * * * *\", \"type\": \"echo\"}", "exactly one of");
        assertRefused(422, "{\"name\": \"b\", \"type\": \"echo\"}", "exactly one of");
        assertRefused(422, "{\"name\": \"b\", \"every\": \"soon\", \"type\": \"echo\"}", "ISO-8601 duration");
        assertRefused(422, "{\"name\": \"b\", \"at\": \"2001-01-01T00:00:00Z\", \"type\": \"echo\"}", "in the past");
        assertRefused(422, "{\"name\": \"b c\", \"every\": \"PT1S\", \"type\": \"echo\"}", "name");
        assertRefused(422, "{\"name\": \"b\", \"every\": \"PT1S\", \"type\": \"echo\", \"missed\": \"sometimes\"}", "missed");
        assertRefused(422, "{\"name\": \"b\", \"every\": \"PT1S\", \"type\": \"echo\", \"colour\": \"blue\"}", "unknown field");
        assertRefused(400, "{\"name\": ", "not JSON");
        assertRefused(400, "[1, 2]", "JSON object");
        assertTrue(schedules().isEmpty() || schedules().stream().noneMatch(s -> s.getString("name").equals("b")));

        create("{\"name\": \"taken" + RUN + "\", \"every\": \"PT1H\", \"type\": \"echo\"}");
        assertRefused(409, "{\"name\": \"taken" + RUN + "\", \"every\": \"PT1H\", \"type\": \"echo\"}", "exists");
        assertEquals(404, api.get("/api/schedules/none-such").status());
        assertEquals(404, api.delete("/api/schedules/none-such").status());
        assertEquals(400, api.get("/api/schedules/taken" + RUN + "/firings?outcome=LATE").status());
    }

    /**
     * Every duration, instant and text of a definition within what the store keeps and the
     * arithmetic on it allows: 422 naming the field, never a 500 (an overflow) or a 503 (the store
     * refusing the row).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfBounds")
    void aDurationInstantOrTextOutOfBoundsIs422NamingTheField(String what, String fields, String reason) {
        assertRefused(422, "{\"name\": \"bounds" + RUN + "\", \"type\": \"echo\", " + fields + "}", reason);
        Answer put = api.put("/api/schedules/bounds" + RUN, "{\"type\": \"echo\", " + fields + "}");
        assertEquals(422, put.status(), put.body());
        assertTrue(put.json().getString("message").contains(reason), put.body());
        assertEquals(404, api.get("/api/schedules/bounds" + RUN).status(), "nothing stored");
    }

    static Stream<Arguments> outOfBounds() {
        return Stream.of(
                Arguments.of("every of Long.MAX_VALUE seconds", "\"every\": \"PT9223372036854775807S\"", "every \"PT9223372036854775807S\" must be"),
                Arguments.of("every over ten years", "\"every\": \"P3651D\"", "at most PT87600H"),
                Arguments.of("delay of Long.MAX_VALUE seconds", "\"delay\": \"PT9223372036854775807S\"", "delay \"PT9223372036854775807S\" must be"),
                Arguments.of("after of Long.MAX_VALUE seconds", "\"after\": \"PT9223372036854775807S\"", "after \"PT9223372036854775807S\" must be"),
                Arguments.of("at in the year 999999999", "\"at\": \"+999999999-01-01T00:00:00Z\"", "at \"+999999999-01-01T00:00:00Z\" must be"),
                Arguments.of("at in the year 10000", "\"at\": \"+10000-01-01T00:00:00Z\"", "to 9999-12-30T00:00:00Z"),
                Arguments.of("startAt in the year 999999999", "\"every\": \"PT1H\", \"startAt\": \"+999999999-01-01T00:00:00Z\"", "startAt \"+999999999"),
                Arguments.of("startAt before 1970", "\"every\": \"PT1H\", \"startAt\": \"0001-01-01T00:00:00Z\"", "from 1970-01-01T00:00:00Z"),
                Arguments.of("cron over 200 characters", "\"cron\": \"" + LONG_CRON + "\"", "cron is longer than 200 characters"),
                Arguments.of("zone of 300 characters", "\"cron\": \"0 0 3 * * *\", \"zone\": \"" + "Z".repeat(300) + "\"", "is not a time zone"));
    }

    @Test
    void aScheduleIsChangedWithPutAndItsVersionRises() {
        create("{\"name\": \"changing" + RUN + "\", \"every\": \"PT1H\", \"type\": \"echo\"}");
        Answer changed = api.put("/api/schedules/changing" + RUN, "{\"cron\": \"0 0 3 * * *\", \"zone\": \"UTC\", \"type\": \"echo\", \"priority\": 7}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals("CRON", changed.json().getString("kind"));
        assertEquals(2, changed.json().getInt("version"));
        assertEquals(7, changed.json().getInt("priority"));
        assertTrue(changed.json().getString("nextFiringAt").endsWith("T03:00:00Z"), changed.body());

        Answer same = api.put("/api/schedules/changing" + RUN, schedule("changing" + RUN).toString());
        assertEquals(200, same.status(), same.body());
        assertEquals(2, same.json().getInt("version"), "sending its view back changes nothing");
    }

    @Test
    void schedulesAreListedByNameOnePageAtATime() {
        List<String> names = List.of("paged-a" + RUN, "paged-b" + RUN, "paged-c" + RUN);
        names.forEach(name -> create("{\"name\": \"" + name + "\", \"every\": \"PT1H\", \"type\": \"echo\"}"));

        JsonObject first = api.get("/api/schedules?limit=2").json();
        assertEquals(2, first.getJsonArray("schedules").size());
        assertTrue(first.containsKey("next"), "a full page links to the next one: " + first);
        List<String> listed = api.all("/api/schedules?limit=2", "schedules").stream().map(s -> s.getString("name")).toList();
        assertEquals(listed.stream().sorted().toList(), listed, "by name");
        assertEquals(listed.size(), listed.stream().distinct().count(), "paging repeats no schedule");
        assertTrue(listed.containsAll(names), listed.toString());
        assertEquals(400, api.get("/api/schedules?limit=0").status());
    }

    private void create(String json) {
        Answer created = api.post("/api/schedules", "application/json", bytes(json));
        assertEquals(201, created.status(), created.body());
    }

    private void assertRefused(int status, String json, String reason) {
        Answer answer = api.post("/api/schedules", "application/json", bytes(json));
        assertEquals(status, answer.status(), json + " -> " + answer.body());
        assertTrue(answer.json().getString("message").contains(reason), json + " -> " + answer.body());
    }

    private List<JsonObject> schedules() {
        return new Schedules(api).all();
    }

    private JsonObject schedule(String name) {
        Answer answer = api.get("/api/schedules/" + name);
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    /** The schedule's firings with the outcome (all when null), newest first. */
    private List<JsonObject> firings(String name, String outcome) {
        Answer answer = api.get("/api/schedules/" + name + "/firings?limit=500" + (outcome == null ? "" : "&outcome=" + outcome));
        if (answer.status() == 404) {
            return List.of();
        }
        return answer.json().getJsonArray("firings").stream().map(v -> v.asJsonObject()).toList();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
