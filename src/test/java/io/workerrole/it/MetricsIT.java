package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.MeteredJob;
import io.workerrole.it.support.Scrape;
import io.workerrole.it.support.Tls;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import io.workerrole.jobs.boundary.TypeGauges;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics at /metrics (Prometheus text, Liberty's mpMetrics): after known work, the counters,
 * timers and gauges say what happened, job types are labels only once a handler knows them, and
 * only job-viewer may read them. The work is of a type only this test deploys
 * ({@link MeteredJob}), so that the figures are its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT {

    private static final String APP = "metered";  // not "metrics": Liberty serves /metrics itself
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, MeteredJob.class);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void afterKnownWorkTheCountersTimersAndGaugesSayWhatHappened() throws Exception {
        List<String> succeeding = IntStream.range(0, 3).mapToObj(i -> submit("{\"type\": \"metered\"}")).toList();
        String retried = submit("{\"type\": \"metered\", \"payload\": {\"failTimes\": 1}}");
        String dying = submit("{\"type\": \"metered\", \"payload\": {\"failTimes\": 99}}");
        for (String id : succeeding) {
            api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        }
        api.awaitState(retried, "SUCCEEDED", Duration.ofSeconds(30));
        int deadAttempts = api.awaitState(dying, "DEAD", Duration.ofSeconds(60)).getInt("attempts");
        List<String> delayed = IntStream.range(0, 2).mapToObj(i -> submit("{\"type\": \"metered\", \"delay\": \"PT1H\"}")).toList();

        Scrape scrape = awaitScrape(s -> s.value("jobs_enqueued_total", "type", "metered", "source", "http") == 7);
        assertEquals(4, scrape.value("jobs_finished_total", "type", "metered", "outcome", "SUCCEEDED"), "3 at once, 1 after a retry");
        assertEquals(1, scrape.value("jobs_finished_total", "type", "metered", "outcome", "DEAD"));
        assertEquals(1 + deadAttempts - 1, scrape.value("job_retries_total", "type", "metered"), "the retried job's one, the dead job's all but its last");
        int attempts = 3 + 2 + deadAttempts;
        assertEquals(attempts, scrape.value("job_duration_seconds_count", "type", "metered"), "one per attempt");
        assertEquals(attempts, scrape.value("job_wait_seconds_count", "type", "metered"), "one per start");
        assertEquals(attempts, scrape.value("job_wait_seconds_bucket", "type", "metered", "le", "+Inf"), "a histogram with buckets");
        assertEquals(16, scrape.value("job_concurrency_limit"));
        assertEquals(0, scrape.value("worker_frozen"));
        assertTrue(scrape.value("jobs", "state", "SCHEDULED") >= 2, "the delayed jobs wait in the store: " + scrape.samples("jobs"));
        assertTrue(scrape.samples("worker_task_restarts_total").stream().anyMatch(s -> "job-dispatcher".equals(s.labels().get("task"))),
                "every background task has its restarts: " + scrape.samples("worker_task_restarts_total"));

        double scheduled = scrape.value("jobs", "state", "SCHEDULED");
        for (String id : delayed) {
            assertEquals(200, api.post("/api/jobs/" + id + "/cancel", "application/json", new byte[0]).status());
        }
        awaitScrape(s -> s.value("jobs_finished_total", "type", "metered", "outcome", "CANCELLED") == 2);
        // The backlog is read from the store at most every 2 s (RecentBacklog.FRESH): the gauge follows within that.
        awaitScrape(s -> s.value("jobs", "state", "SCHEDULED") == scheduled - 2);
    }

    @Test
    void eachTypesQueueIsOnMetricsForAnAutoscalerFromTheWholeStore() throws Exception {
        Scrape before = awaitScrape(s -> !s.samples("job_type_queued").isEmpty());
        double queued = before.value("job_type_queued", "type", "metered");
        double delayed = before.value("job_type_delayed", "type", "metered");
        assertTrue(before.samples("job_type_queued").stream().anyMatch(s -> "sleep".equals(s.labels().get("type"))),
                "a type this server runs has its gauges whether or not it has jobs: " + before.samples("job_type_queued"));
        // The first of a sequence waits an hour (delayed); the second waits for it, due but not runnable (queued).
        String key = "metered-" + System.nanoTime();
        String first = submit("{\"type\": \"metered\", \"delay\": \"PT1H\", \"sequence\": {\"key\": \"" + key + "\", \"number\": 1}}");
        String second = submit("{\"type\": \"metered\", \"sequence\": {\"key\": \"" + key + "\", \"number\": 2}}");
        try {
            Scrape waiting = awaitScrape(s -> s.value("job_type_queued", "type", "metered") == queued + 1
                    && s.value("job_type_oldest_age_seconds", "type", "metered") >= 1.0);
            assertEquals(delayed + 1, waiting.value("job_type_delayed", "type", "metered"));
            for (String name : TypeGauges.prometheusNames()) {
                assertEquals(1, waiting.samples(name).stream().filter(s -> "metered".equals(s.labels().get("type"))).count(),
                        name + " as the autoscaler's queries name it (docs/kubernetes/)");
            }
            assertTrue(waiting.value("job_type_running", "type", "metered") >= 0);
            // Every gauge of a scrape comes from one read of the store: the types add up to the whole once nothing moves.
            awaitScrape(s -> s.samples("job_type_queued").stream().mapToDouble(Scrape.Sample::value).sum()
                    == s.value("jobs", "state", "QUEUED"));
        } finally {
            api.post("/api/jobs/" + second + "/cancel", "application/json", new byte[0]);
            api.post("/api/jobs/" + first + "/cancel", "application/json", new byte[0]);
        }
        awaitScrape(s -> s.value("job_type_queued", "type", "metered") == queued
                && s.value("job_type_delayed", "type", "metered") == delayed);
    }

    @Test
    void aScheduleFiringIsCountedWithItsOutcomeAndLateness() throws Exception {
        Answer created = api.post("/api/schedules", "application/json",
                "{\"name\": \"metered-once\", \"after\": \"PT0.5S\", \"type\": \"metered\"}".getBytes());
        assertEquals(201, created.status(), created.body());
        try {
            Scrape scrape = awaitScrape(s -> s.value("schedule_firings_total", "schedule", "metered-once", "outcome", "RAN") == 1);
            assertEquals(1, scrape.value("jobs_enqueued_total", "type", "metered", "source", "schedule"));
            assertTrue(scrape.value("schedule_lateness_seconds_count") >= 1, "the firing's lateness is timed");
        } finally {
            api.delete("/api/schedules/metered-once");
        }
    }

    @Test
    void aRejectedJobOfAMadeUpTypeIsCountedWithoutItsTypeAsALabel() throws Exception {
        api.sendMessage("{\"type\": \"made-up-type-7c1f\"}", Map.of());

        Scrape scrape = awaitScrape(s -> s.value("jobs_finished_total", "type", "unknown", "outcome", "REJECTED") >= 1);
        assertTrue(scrape.samples("jobs_finished_total").stream().noneMatch(s -> s.labels().containsValue("made-up-type-7c1f")),
                "a producer's made-up types would grow the registry without bound: " + scrape.samples("jobs_finished_total"));
    }

    @Test
    void onlyJobViewersMayReadTheMetrics() throws Exception {
        assertEquals(200, metrics(User.VIEWER).status());
        assertEquals(403, metrics(User.SUBMITTER).status(), "submitter is not a viewer");
        Answer anonymous = metricsApi().anonymous().get("/metrics?scope=application");
        assertEquals(401, anonymous.status());
    }

    private String submit(String body) {
        Answer answer = api.submit(body);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().getString("id");
    }

    private Scrape awaitScrape(Predicate<Scrape> until) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Scrape.parse(metrics(User.VIEWER).body()), until);
    }

    private Answer metrics(User user) throws Exception {
        return metricsApi().as(user).get("/metrics?scope=application");
    }

    /** /metrics is served over HTTPS only (plain HTTP redirects there), by the server, outside the application. */
    private static Api metricsApi() throws Exception {
        HttpClient https = Tls.trusting(WorkerServer.serverDir().resolve("resources/security/key.p12"), User.KEYSTORE_PASSWORD);
        return new Api("https://localhost:19443", "").over(https);
    }
}
