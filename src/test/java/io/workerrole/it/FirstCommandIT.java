package io.workerrole.it;

import io.workerrole.it.dashboard.DashboardBrowser;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.DevServer;
import io.workerrole.it.support.Tls;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, as a new user runs it: {@code mvn liberty:run} (the dev server,
 * with server-config/ and the loose application, {@link DevServer}), then the walkthrough of
 * "The two commands" with the shipped dev users — readiness, an echo job sent as submitter and
 * read as viewer until it succeeded, the same list over HTTPS — and the dashboard the README
 * points to next, in a browser: every file it names is served, with the dashboard's headers,
 * and the overview shows its figures; and the loose application holds nothing that only a later
 * build phase makes, which a fresh clone's first run would lack. The tests' own servers deploy the packaged WAR; this is the one that runs what
 * {@code liberty:run} deploys.
 */
// Alone: a Maven of its own creates and installs a server in the runtime the other servers run from.
@Isolated
class FirstCommandIT {

    private static final Duration A_WHILE = Duration.ofSeconds(30);
    private static final Pattern SCRIPT = Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+)\"");
    private static final Pattern LOOSE_FOLDER = Pattern.compile("<dir sourceOnDisk=\"([^\"]+)\"");
    private static final Pattern STYLESHEET = Pattern.compile("<link[^>]*\\srel=\"stylesheet\"[^>]*\\shref=\"([^\"]+)\"");

    @RegisterExtension
    @Order(1)
    static final DevServer server = new DevServer();

    @RegisterExtension
    @Order(2)
    static final DashboardBrowser browser = DashboardBrowser.at(DevServer.uri("/dashboard/"));

    /** HTTP/1.1, as the README's curl speaks it (the JDK's client would ask for an upgrade to HTTP/2). */
    private static final Api http = new Api("http://localhost:" + DevServer.HTTP_PORT, "")
            .over(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());

    @Test
    void theReadmeWalkthroughRunsAnEchoJobAndListsItOverHttps() throws Exception {
        Answer ready = http.anonymous().get("/health/ready");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().getString("status"));
        assertEquals("RUNNING", ready.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> check.getString("name").equals("worker-role")).findFirst().orElseThrow()
                .getJsonObject("data").getString("phase"));

        Answer accepted = http.as(DevServer.SUBMITTER).submit("{\"type\": \"echo\", \"payload\": {\"hello\": \"world\"}}");
        assertEquals(202, accepted.status(), accepted.body());
        String location = accepted.header("Location").orElseThrow();
        String id = accepted.json().getString("id");
        assertTrue(location.endsWith("/api/jobs/" + id), location);

        JsonObject job = await().atMost(A_WHILE).until(() -> http.as(DevServer.VIEWER).job(id),
                j -> "SUCCEEDED".equals(j.getString("state")));
        assertEquals("world", job.getJsonObject("result").getString("hello"));

        HttpClient https = Tls.trusting(server.serverDir().resolve("resources/security/key.p12"), DevServer.KEYSTORE_PASSWORD);
        Answer listed = new Api("https://localhost:" + DevServer.HTTPS_PORT, "").over(https).as(DevServer.VIEWER).get("/api/jobs");
        assertEquals(200, listed.status(), listed.body());
        assertTrue(listed.json().getJsonArray("jobs").getValuesAs(JsonObject.class).stream().anyMatch(j -> j.getString("id").equals(id)),
                "the job is listed over HTTPS too");
    }

    @Test
    void theLooseApplicationHoldsNothingThatOnlyALaterBuildPhaseMakes() throws IOException {
        // liberty:run compiles target/classes itself; a folder that generate-resources or package
        // makes (an unpacked webjar, say) is missing from a fresh clone's first run.
        Path definition = Stream.of("dropins", "apps").map(dir -> server.serverDir().resolve(dir).resolve("worker-role.war.xml"))
                .filter(Files::exists).findFirst().orElseThrow(() -> new AssertionError("no loose application in " + server.serverDir()));
        assertEquals(List.of(Path.of("src/main/webapp").toAbsolutePath().toString(), Path.of("target/classes").toAbsolutePath().toString()),
                named(LOOSE_FOLDER, Files.readString(definition)), "the folders of " + definition);
    }

    @Test
    void theDashboardServesEveryScriptAndStylesheetItNames() {
        Api viewer = http.as(DevServer.VIEWER);
        Answer page = viewer.get("/dashboard/");
        assertEquals(200, page.status());
        assertEquals("DENY", page.header("X-Frame-Options").orElse(""));
        assertTrue(page.header("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), page.headers().toString());

        List<String> files = new ArrayList<>(named(SCRIPT, page.body()));
        files.addAll(named(STYLESHEET, page.body()));
        assertEquals(13, files.size(), "eleven scripts and two stylesheets: " + files);
        for (String file : files) {
            String path = URI.create("/dashboard/").resolve(file).toString();
            assertEquals(200, viewer.get(path).status(), path + ", named by the dashboard as " + file);
        }
    }

    @Test
    void theDashboardsOverviewShowsTheFigures() {
        browser.open(DevServer.VIEWER, "#/overview");

        await().atMost(A_WHILE).untilAsserted(() -> {
            JsonObject counts = http.as(DevServer.VIEWER).get("/api/overview").json().getJsonObject("counts");
            for (String state : List.of("QUEUED", "SCHEDULED", "RUNNING", "FAILED", "DEAD")) {
                assertEquals(String.valueOf(counts.getInt(state)), browser.text("count-" + state), state);
            }
        });
        assertFalse(browser.find("chart-finished").findElements(By.tagName("canvas")).isEmpty(), "the chart is drawn");
        assertEquals("object", browser.script("return typeof window.Alpine"));
        assertEquals("function", browser.script("return typeof window.uPlot"));
        // What the browser fetched for the page: every script and stylesheet, each answered 200.
        @SuppressWarnings("unchecked")
        List<String> failed = (List<String>) browser.script("return performance.getEntriesByType('resource')"
                + ".filter(e => ['script', 'link'].includes(e.initiatorType) && e.responseStatus !== 200)"
                + ".map(e => e.name + ' ' + e.responseStatus)");
        assertEquals(List.of(), failed);
    }

    private static List<String> named(Pattern pattern, String html) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(html);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
