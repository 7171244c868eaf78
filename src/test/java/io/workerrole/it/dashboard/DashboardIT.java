package io.workerrole.it.dashboard;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.Schedules;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.workerrole.it.dashboard.DashboardBrowser.hook;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a browser, against jobs this test makes through the API: each page shows
 * them; an operator's buttons do what they say (requeue a dead-letter group, run a schedule
 * now) and a viewer sees none; what a job brings is shown as text, never run as markup; the
 * dashboard and its scripts ask for credentials; and every response of it forbids framing and
 * scripts from elsewhere. Deployed at /dashboardui, so every address the
 * dashboard uses must be relative to its context root. Saves overview.png and job.png for the
 * README as it goes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DashboardIT {

    private static final String APP = "dashboardui";
    private static final String SCHEDULE = "dashboard-nightly";
    private static final String XSS = "<script>window.xss=1</script><img src=x onerror=\"window.xss=1\">";
    private static final Duration A_WHILE = Duration.ofSeconds(30);
    /** This run's: the job store outlives the test, and keeps what earlier runs left. */
    private static final String BATCH = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final DashboardBrowser browser = new DashboardBrowser(APP);

    private static final Api api = new Api(APP);
    /** The webjars' files the page loads (../webjars/NAME/VERSION/...), as paths of the deployment. */
    private static final List<String> WEBJAR_FILES = webjarFilesOfThePage();
    private static String report;
    private static String xss;
    private static List<String> relenting;
    private static String dead;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, ReportJob.class, RelentingJob.class);
    }

    @BeforeAll
    static void jobsThatSucceedDieAndAreRequeuedAndASchedule() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        report = submit(Json.createObjectBuilder().add("type", "dashboard-report")
                .add("payload", Json.createObjectBuilder().add("pages", 3).add("failTimes", 1)).build());
        xss = submit(Json.createObjectBuilder().add("type", "dashboard-report")
                .add("payload", Json.createObjectBuilder().add("pages", 1).add("failTimes", 1).add("note", XSS)).build());
        relenting = Stream.of(1, 2).map(i -> submit(Json.createObjectBuilder().add("type", "dashboard-relenting")
                .add("payload", Json.createObjectBuilder().add("batch", BATCH)).build())).toList();
        dead = submit(Json.createObjectBuilder().add("type", "fail")
                .add("payload", Json.createObjectBuilder().add("message", "dead with markup in its error: " + XSS)).build());
        api.delete("/api/schedules/" + SCHEDULE);
        new Schedules(api).create("{\"name\": \"" + SCHEDULE + "\", \"cron\": \"0 0 3 1 1 *\", \"type\": \"echo\", "
                + "\"payload\": {\"from\": \"the dashboard\"}}");

        api.awaitState(report, "SUCCEEDED", A_WHILE);
        api.awaitState(xss, "SUCCEEDED", A_WHILE);
        relenting.forEach(id -> api.awaitState(id, "DEAD", A_WHILE));
        api.awaitState(dead, "DEAD", A_WHILE);
    }

    @AfterAll
    static void removeTheSchedule() {
        api.delete("/api/schedules/" + SCHEDULE);
    }

    @Test
    void theOverviewShowsTheCountsTheJobsFinishedThisHourAndThisServer() {
        browser.open(User.VIEWER, "#/overview");

        // The page refreshes every 3 s: it shows what the API shows once nothing changes.
        await().atMost(A_WHILE).untilAsserted(() -> {
            JsonObject overview = api.get("/api/overview").json();
            for (String state : List.of("QUEUED", "SCHEDULED", "RUNNING", "FAILED", "DEAD")) {
                assertEquals(String.valueOf(overview.getJsonObject("counts").getInt(state)), browser.text("count-" + state), state);
            }
            for (String state : List.of("SUCCEEDED", "DEAD", "CANCELLED")) {
                int lastHour = overview.getJsonArray("perMinute").getValuesAs(JsonObject.class).stream()
                        .mapToInt(minute -> minute.getInt(state, 0)).sum();
                assertEquals(String.valueOf(lastHour), browser.text("finished-" + state), state);
            }
        });
        assertTrue(Integer.parseInt(browser.text("finished-SUCCEEDED")) >= 2, "this test's two reports succeeded this hour");

        String server = api.get("/api/overview").json().getString("server");
        WebElement row = browser.row("server-row", server);
        assertEquals("RUNNING", row.findElement(hook("server-phase")).getText());
        assertFalse(row.findElement(hook("server-gone")).isDisplayed(), "this server is not gone");
        assertFalse(browser.find("frozen-banner").isDisplayed());
        assertFalse(browser.find("chart-finished").findElements(By.tagName("canvas")).isEmpty(), "the chart is drawn");

        browser.screenshot("overview");
    }

    @Test
    void theServersPageShowsThisServersHeartbeat() {
        browser.open(User.VIEWER, "#/servers");

        String id = api.get("/api/overview").json().getString("server");
        JsonObject server = api.get("/api/servers").json().getJsonArray("servers").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("serverId").equals(id)).findFirst().orElseThrow();
        WebElement row = browser.row("server-row", id);
        assertEquals("RUNNING", row.findElement(hook("server-phase")).getText());
        assertEquals("0 / " + server.getInt("concurrency"), row.findElement(hook("server-running")).getText(), "no job runs now");
        assertEquals("worker", row.findElement(hook("server-role")).getText(), "the default role");
        assertTrue(row.findElement(hook("server-types")).getText().contains("echo, fail"), row.findElement(hook("server-types")).getText());
        assertEquals(server.getString("version"), row.findElement(hook("server-version")).getText());
        assertTrue(server.getString("version").startsWith("0."), "the WAR's version: " + server);
        assertTrue(row.findElement(hook("server-last-seen")).getText().endsWith(" ago"));
        assertFalse(row.findElement(hook("server-gone")).isDisplayed());
    }

    @Test
    void aFrozenWorkerShowsTheBannerAndTheQueueThatWaits() {
        browser.open(User.VIEWER, "#/overview");
        WorkerServer.setFreezeInServerXml(true);
        String waiting;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> WorkerServer.health("live").frozen());
            waiting = submit(Json.createObjectBuilder().add("type", "echo").add("payload", "waits for the thaw").build());

            browser.until(() -> browser.find("frozen-banner").isDisplayed());
            assertTrue(browser.text("frozen-banner").contains("worker.freeze in server.xml"), browser.text("frozen-banner"));
            WebElement echo = browser.row("queue-row", "echo");
            assertEquals("1", echo.findElement(hook("queue-queued")).getText());
            browser.until(() -> !browser.text("queue-lag").equals("none"));
        } finally {
            WorkerServer.setFreezeInServerXml(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> !WorkerServer.health("live").frozen());
        }
        api.awaitState(waiting, "SUCCEEDED", A_WHILE);
        browser.until(() -> !browser.find("frozen-banner").isDisplayed());
    }

    @Test
    void aFleetFreezeAndHeldTypesShowWhoHoldsWhatUntilWhen() {
        Api operator = api.as(User.OPERATOR);
        String until = java.time.Instant.now().plus(Duration.ofMinutes(10)).toString();
        browser.open(User.VIEWER, "#/overview");
        try {
            assertEquals(200, operator.put("/api/fleet/freeze", "{\"types\": [\"dashboard-held\"]}").status());
            browser.until(() -> browser.find("held-types-banner").isDisplayed());
            assertTrue(browser.text("held-types-banner").contains("dashboard-held"), browser.text("held-types-banner"));
            assertFalse(browser.find("frozen-banner").isDisplayed(), "a held type freezes no server");

            Answer held = operator.put("/api/fleet/freeze", "{\"until\": \"" + until + "\", \"reason\": \"release 1.4.2 is bad\"}");
            assertEquals(200, held.status(), held.body());
            browser.until(() -> browser.find("frozen-banner").isDisplayed());
            String banner = browser.text("frozen-banner");
            assertTrue(banner.contains("Fleet frozen by operator") && banner.contains("release 1.4.2 is bad") && banner.contains("until"), banner);
            assertFalse(banner.contains("worker.freeze in server.xml"), "the server's own flag is not what holds it: " + banner);
        } finally {
            operator.delete("/api/fleet/freeze");
            operator.delete("/api/fleet/freeze?type=dashboard-held");
            await().atMost(Duration.ofSeconds(10)).until(() -> !WorkerServer.health("live").frozen());
        }
        browser.until(() -> !browser.find("frozen-banner").isDisplayed() && !browser.find("held-types-banner").isDisplayed());
    }

    @Test
    void theJobsPageFiltersByTypeOnTheServer() {
        browser.open(User.VIEWER, "#/jobs");
        browser.find("filter-type").sendKeys("dashboard-report");
        browser.find("filter-apply").click();

        List<String> listed = api.get("/api/jobs?type=dashboard-report&limit=50").json().getJsonArray("jobs")
                .getValuesAs(JsonObject.class).stream().map(job -> job.getString("id")).toList();
        assertTrue(listed.containsAll(List.of(report, xss)), "the newest first: " + listed);
        browser.until(() -> browser.texts("job-id").equals(listed));
        assertTrue(browser.texts("job-type").stream().allMatch("dashboard-report"::equals));
        assertTrue(browser.script("return location.hash").toString().contains("type=dashboard-report"), "the filter is in the address");
    }

    @Test
    void aJobPageShowsItsHistoryAttemptsProgressAndLogLines() {
        browser.open(User.VIEWER, "#/jobs/" + report);

        JsonObject job = api.job(report);
        List<String> history = job.getJsonArray("history").getValuesAs(JsonObject.class).stream().map(h -> h.getString("state")).toList();
        assertEquals(List.of("QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "SUCCEEDED"), history);
        assertEquals(history, browser.texts("history-state"));
        assertEquals("SUCCEEDED", browser.text("job-state"));
        assertEquals("100 %", browser.text("job-progress"));
        assertEquals(2, browser.all("attempt-row").size());
        assertTrue(browser.all("attempt-row").get(0).getText().contains("FAILED"));
        assertTrue(browser.all("attempt-row").get(0).getText().contains("attempt 1 fails as asked"));

        List<String> logged = api.get("/api/jobs/" + report + "/log").json().getJsonArray("lines").getValuesAs(JsonObject.class)
                .stream().map(line -> line.getString("message")).toList();
        assertEquals(7, logged.size(), "three pages and an error, then three pages again: " + logged);
        assertEquals(logged, browser.texts("log-message"));
        assertTrue(browser.text("job-result").contains("\"pages\": 3"), browser.text("job-result"));
        assertTrue(browser.text("job-checkpoint").contains("\"pagesRead\": 3"), browser.text("job-checkpoint"));

        browser.screenshot("job");
    }

    @Test
    void requeueingADeadLetterGroupRunsItsJobsAgainUntilTheySucceed() {
        browser.open(User.OPERATOR, "#/dead");
        WebElement group = browser.row("dead-group", "batch " + BATCH + " " + RelentingJob.ERROR);
        assertEquals("dashboard-relenting", group.findElement(hook("group-type")).getText());
        assertEquals("2", group.findElement(hook("group-count")).getText());

        group.findElement(hook("requeue-group")).click();

        assertEquals("Requeued 2 dead jobs of type dashboard-relenting.", browser.until(() -> {
            String message = browser.text("message");
            return message.isEmpty() ? null : message;
        }));
        for (String id : relenting) {
            JsonObject job = api.awaitState(id, "SUCCEEDED", A_WHILE);
            List<String> states = job.getJsonArray("history").getValuesAs(JsonObject.class).stream().map(h -> h.getString("state")).toList();
            List<String> afterDeath = states.subList(states.indexOf("DEAD") + 1, states.size());
            assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), afterDeath, states.toString());
        }
        browser.until(() -> browser.all("dead-group").stream().noneMatch(row -> row.getText().contains("batch " + BATCH)));
    }

    @Test
    void runNowOnTheSchedulesPageStartsAJob() {
        browser.open(User.OPERATOR, "#/schedules");
        browser.row("schedule-row", SCHEDULE).findElement(hook("run-schedule")).click();

        String message = browser.until(() -> {
            String text = browser.text("message");
            return text.startsWith("Ran " + SCHEDULE + " now: job ") ? text : null;
        });
        String jobId = message.substring(("Ran " + SCHEDULE + " now: job ").length(), message.length() - 1);
        assertEquals("SCHEDULE", api.job(jobId).getString("source"));
        api.awaitState(jobId, "SUCCEEDED", A_WHILE);

        browser.open(User.OPERATOR, "#/schedules/" + SCHEDULE);
        WebElement firing = browser.row("firing-row", jobId);
        assertEquals("RAN", firing.findElement(hook("firing-outcome")).getText());
        firing.findElement(hook("firing-job")).click();
        browser.until(() -> browser.text("job-id").equals(jobId));
        assertEquals("echo", browser.text("job-type"));
    }

    @Test
    void cancelOnAJobPageCancelsAJobThatWaits() {
        String later = submit(Json.createObjectBuilder().add("type", "echo").add("payload", "never runs")
                .add("delay", "PT1H").build());
        browser.open(User.OPERATOR, "#/jobs/" + later);
        browser.until(() -> browser.text("job-state").equals("SCHEDULED"));

        browser.find("cancel-job").click();

        assertEquals("Cancelled: the job will not run.", browser.until(() -> {
            String message = browser.text("message");
            return message.isEmpty() ? null : message;
        }));
        assertEquals("CANCELLED", api.job(later).getString("state"));
        browser.until(() -> browser.text("job-state").equals("CANCELLED"));
        browser.until(() -> browser.all("cancel-job").isEmpty());
        assertTrue(browser.find("requeue-job").isDisplayed(), "a cancelled job may be requeued");
    }

    @Test
    void pauseAndResumeOnAScheduleChangeIt() {
        browser.open(User.OPERATOR, "#/schedules/" + SCHEDULE);

        browser.find("pause-schedule").click();
        browser.until(() -> browser.find("schedule-paused").isDisplayed());
        assertTrue(api.get("/api/schedules/" + SCHEDULE).json().getBoolean("paused"), "paused in the store");
        assertFalse(browser.find("run-schedule").isEnabled(), "a paused schedule is not run now");

        browser.find("resume-schedule").click();
        browser.until(() -> !browser.find("schedule-paused").isDisplayed());
        assertFalse(api.get("/api/schedules/" + SCHEDULE).json().getBoolean("paused"));
    }

    @Test
    void whatAJobBringsIsShownAsTextNeverAsMarkup() {
        browser.open(User.VIEWER, "#/jobs/" + xss);

        assertTrue(browser.text("job-payload").contains("<script>window.xss=1</script>"), browser.text("job-payload"));
        assertTrue(browser.texts("log-message").contains("note: " + XSS), browser.texts("log-message").toString());
        assertTrue(browser.texts("history-detail").stream().anyMatch(detail -> detail.contains(XSS)), "the first attempt's error");
        assertTrue(browser.find("page-job").getText().contains("<img src=x onerror=\"window.xss=1\">"));
        assertNoMarkupRan();

        browser.open(User.VIEWER, "#/dead");
        assertTrue(browser.texts("group-error").stream().anyMatch(error -> error.contains(XSS)), "a dead job's error");
        assertNoMarkupRan();

        browser.open(User.VIEWER, "#/jobs?state=DEAD&type=fail");
        assertTrue(browser.texts("job-error").stream().anyMatch(error -> error.contains(XSS)), "in the list of jobs too");
        assertNoMarkupRan();
    }

    @Test
    void anOperatorSeesTheButtonsOfEachPage() {
        for (Page page : pagesWithButtons()) {
            browser.open(User.OPERATOR, page.route());
            browser.find(page.content());
            assertTrue(browser.find(page.button()).isDisplayed(), page.route());
        }
    }

    @Test
    void aViewerSeesNoButtons() {
        for (Page page : pagesWithButtons()) {
            browser.open(User.VIEWER, page.route());
            browser.find(page.content());
            assertEquals(0L, browser.script("return document.querySelectorAll('[data-action]').length"), page.route());
            assertEquals(List.of(), browser.visibleButtons().stream().filter(button -> !button.equals("filter-apply")).toList(),
                    page.route() + ": only the jobs filter's Apply");
        }
    }

    @Test
    void theDashboardAndItsScriptsAskForCredentials() {
        Api anonymous = api.anonymous();
        List<String> paths = new ArrayList<>(List.of("/dashboard", "/dashboard/", "/dashboard/index.html", "/dashboard/js/api.js"));
        paths.addAll(WEBJAR_FILES);
        for (String path : paths) {
            Answer answer = anonymous.get(path);
            assertEquals(401, answer.status(), path);
            assertEquals("Basic realm=\"worker\"", answer.header("WWW-Authenticate").orElse(""), path);
        }
        assertEquals(403, api.as(User.SUBMITTER).get("/dashboard/").status(), "a submitter is no viewer");
        assertEquals(403, api.as(User.SUBMITTER).get(WEBJAR_FILES.get(0)).status(), "nor for the webjars");
        // The page's own files are addressed relative to CONTEXT/dashboard/: without its slash, it is sent there.
        Answer withoutSlash = api.as(User.VIEWER).get("/dashboard");
        assertEquals(302, withoutSlash.status(), withoutSlash.headers().toString());
        assertTrue(withoutSlash.header("Location").orElse("").endsWith("/" + APP + "/dashboard/"), withoutSlash.headers().toString());
        for (String path : WEBJAR_FILES) {
            assertEquals(200, api.as(User.VIEWER).get(path).status(), path);
        }
        Answer alpine = api.as(User.VIEWER).get(WEBJAR_FILES.get(WEBJAR_FILES.size() - 1));
        assertTrue(alpine.body().contains("window.Alpine"), "Alpine.js, from its webjar in the WAR");
    }

    @Test
    void everyDashboardResponseForbidsFramingAndForeignScripts() {
        List<String> paths = new ArrayList<>(List.of("/dashboard", "/dashboard/", "/dashboard/index.html", "/dashboard/js/api.js",
                "/dashboard/dashboard.css"));
        paths.addAll(WEBJAR_FILES);
        for (String path : paths) {
            Answer answer = api.as(User.VIEWER).get(path);
            assertEquals("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'; "
                    + "form-action 'self'; frame-ancestors 'none'", answer.header("Content-Security-Policy").orElse(""), path);
            assertEquals("DENY", answer.header("X-Frame-Options").orElse(""), path);
        }
    }

    /** A page with a button for operators, the hook of what it shows, and the hook of the button. */
    private record Page(String route, String content, String button) {
    }

    private static List<Page> pagesWithButtons() {
        return List.of(
                new Page("#/jobs?state=DEAD&type=fail", "job-row", "requeue-matching"),
                new Page("#/jobs/" + dead, "job-state", "requeue-job"),
                new Page("#/dead", "dead-group", "requeue-group"),
                new Page("#/schedules", "schedule-row", "run-schedule"),
                new Page("#/schedules/" + SCHEDULE, "schedule-name", "pause-schedule"));
    }

    private static List<String> webjarFilesOfThePage() {
        try {
            Matcher named = Pattern.compile("(?:src|href)=\"\\.\\.(/webjars/[^\"]+)\"")
                    .matcher(Files.readString(Path.of("src/main/webapp/dashboard/index.html")));
            List<String> files = new ArrayList<>();
            while (named.find()) {
                files.add(named.group(1));
            }
            return List.copyOf(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertNoMarkupRan() {
        assertEquals("undefined", browser.script("return typeof window.xss"));
        assertEquals(0L, browser.script("return document.querySelectorAll('img[src=\"x\"]').length"));
    }

    private static String submit(JsonObject job) {
        Answer answer = api.submit(job.toString());
        assertEquals(202, answer.status(), answer.body());
        return answer.json().getString("id");
    }
}
