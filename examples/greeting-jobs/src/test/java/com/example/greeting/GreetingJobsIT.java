package com.example.greeting;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This project's jar on a real worker: its job runs, its schedule is stored, its start hook ran. */
class GreetingJobsIT {

    private static WorkerServer worker;

    @BeforeAll
    static void startAWorkerWithThisJar() throws Exception {
        worker = WorkerServer.start(Path.of(System.getProperty("worker.home")).toAbsolutePath().normalize(),
                Path.of(System.getProperty("handler.jar")));
    }

    @AfterAll
    static void stopTheWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aGreetingJobRunsAndAnswersWithItsResult() {
        JsonObject job = finished(submit("{\"type\": \"greeting\", \"payload\": {\"name\": \"Ada\"}}"));

        assertEquals("SUCCEEDED", job.getString("state"), job.toString());
        assertEquals("Hello, Ada!", job.getJsonObject("result").getString("text"));
    }

    @Test
    void aGreetingWithoutANameIsDeadAtOnceWithTheReason() {
        JsonObject job = finished(submit("{\"type\": \"greeting\", \"payload\": {}}"));

        assertEquals("DEAD", job.getString("state"), job.toString());
        assertEquals(1, job.getInt("attempts"), "not retried: " + job);
        assertTrue(job.getString("error").contains("a greeting needs a name"), job.toString());
    }

    @Test
    void theMorningScheduleIsStored() {
        JsonObject schedule = worker.get("/api/schedules/morning-greeting");

        assertEquals("greeting", schedule.getString("type"), schedule.toString());
        assertEquals("0 0 8 * * *", schedule.getString("cron"), schedule.toString());
    }

    @Test
    void theStartHookRanBeforeTheWorkerWasReady() throws Exception {
        assertTrue(worker.messages().contains("Greeting jobs ready"));
    }

    private static String submit(String message) {
        HttpResponse<String> accepted = worker.post("/api/jobs", message);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return Json.createReader(new StringReader(accepted.body())).readObject().getString("id");
    }

    private static JsonObject finished(String id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> worker.get("/api/jobs/" + id), job -> job.getString("state").equals("SUCCEEDED") || job.getString("state").equals("DEAD"));
    }
}
