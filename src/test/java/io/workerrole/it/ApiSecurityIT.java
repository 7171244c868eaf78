package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.ApiEndpoint;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.RawHttp;
import io.workerrole.it.support.RoleMatrix;
import io.workerrole.it.support.Schedules;
import io.workerrole.it.support.Tls;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may call what (reliability R17), with basic credentials of the users of
 * server-config/users.xml: every endpoint answers 401 without credentials, 403 to a user
 * without its role (changing nothing) and 2xx to a user with it; health and the API's
 * description stay open; bodies must be JSON; a browser's request from a page of another
 * origin (scheme, host and port) is refused, whatever its Host header says; the single sign-on
 * cookie travels over HTTPS only; and what operators and admins do is in the audit log with
 * their names.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiSecurityIT {

    private static final String APP = "security";
    private static final String UNKNOWN_JOB = "00000000-0000-0000-0000-000000000000";
    private static ApiEndpoint.Fixture fixture;
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReadyWithAFixture() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        if (fixture == null) {
            fixture = ApiEndpoint.Fixture.create(api.as(User.ADMIN), WorkerServer.serverDir());
        }
    }

    @ParameterizedTest
    @EnumSource(ApiEndpoint.class)
    void everyCallAnswers401WithoutCredentials403WithoutItsRoleAnd2xxWithIt(ApiEndpoint endpoint) {
        RoleMatrix.basic(api).check(endpoint, fixture);
    }

    @Test
    void aCallWithoutCredentialsIsChallengedForBasicOnesAndAWrongPasswordIsRefused() {
        Answer none = api.anonymous().get("/api/jobs");
        assertEquals(401, none.status());
        assertEquals("Basic realm=\"worker\"", none.header("WWW-Authenticate").orElseThrow());
        assertTrue(none.json().getString("message").contains("job-viewer"), none.body());

        Answer wrong = api.as(new User(User.VIEWER.name(), "not-the-password")).get("/api/jobs");
        assertEquals(401, wrong.status());
    }

    @Test
    void healthProbesAndTheApiDescriptionStayOpenAndDescribeTheSecuritySchemes() {
        assertEquals(200, WorkerServer.health("ready").status());
        assertEquals(200, WorkerServer.health("live").status());
        Answer openapi = new Api(WorkerServer.uri("").toString(), "").anonymous().get("/openapi");
        assertEquals(200, openapi.status());
        assertTrue(openapi.body().contains("securitySchemes:"), openapi.body());
        assertTrue(openapi.body().contains("scheme: basic"), "basic credentials are documented");
        assertTrue(openapi.body().contains("scheme: bearer"), "bearer tokens are documented");
    }

    @Test
    void bodiesThatAreNotJsonAre415SoThatNoPlainHtmlFormCanSubmit() {
        Api submitter = api.as(User.SUBMITTER);
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            Answer answer = submitter.post("/api/jobs", type, "{\"type\": \"echo\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(415, answer.status(), type + ": " + answer.body());
            assertTrue(answer.json().getString("message").contains("application/json"), answer.body());
        }
        Api admin = api.as(User.ADMIN);
        String schedule = fixture.scheduleJson("plain-" + fixture.run());
        assertEquals(415, admin.post("/api/schedules", "text/plain", schedule.getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(415, admin.send(admin.request("/api/schedules/plain-" + fixture.run())
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(schedule))).status());
        assertEquals(404, admin.get("/api/schedules/plain-" + fixture.run()).status(), "no schedule was made");
    }

    @Test
    void aRequestFromAWebPageOfAnotherSiteIsRefusedEvenWithTheRightCredentials() {
        Api operator = api.as(User.OPERATOR);
        Answer crossSite = operator.send(operator.request("/api/schedules/" + fixture.scheduleName() + "/pause")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, crossSite.status(), crossSite.body());
        assertTrue(crossSite.json().getString("message").contains("cross-site"), crossSite.body());
        assertEquals(false, operator.get("/api/schedules/" + fixture.scheduleName()).json().getBoolean("paused"), "nothing changed");

        Answer sameSite = operator.send(operator.request("/api/schedules/" + fixture.scheduleName() + "/pause")
                .header("Origin", "http://localhost:" + WorkerServer.uri("").getPort()).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, sameSite.status(), "a page of the worker's own origin may: " + sameSite.body());
        new Schedules(api).resume(fixture.scheduleName());
    }

    @Test
    void aPageOnAnotherPortOfTheSameMachineIsAnotherSiteAndRefused() {
        int port = WorkerServer.uri("").getPort();
        for (String otherSite : List.of("http://localhost:8000", "http://127.0.0.1:8000", "https://localhost:" + port,
                "http://localhost", "null")) {
            Answer refused = requeueUnknownJobFrom(otherSite);
            assertEquals(403, refused.status(), otherSite + ": " + refused.body());
            assertTrue(refused.json().getString("message").contains("cross-site"), refused.body());
        }
        for (String ownOrigin : List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "https://localhost:19443")) {
            assertEquals(404, requeueUnknownJobFrom(ownOrigin).status(), ownOrigin + " is the server's own: past the guard to the unknown job");
        }
    }

    @Test
    void aForgedHostHeaderDoesNotMakeAnotherSiteTheServersOwn() throws IOException {
        String evil = "evil.example:" + WorkerServer.uri("").getPort();
        String answer = RawHttp.exchange("POST /" + APP + "/api/jobs/" + UNKNOWN_JOB + "/requeue HTTP/1.1\r\nHost: " + evil
                + "\r\nOrigin: http://" + evil + "\r\nAuthorization: " + User.OPERATOR.basic() + "\r\nContent-Length: 0");
        assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
        assertTrue(answer.contains("cross-site request refused"), answer);
    }

    @Test
    void theOriginsAnAdminListsAsPublicAreTheServersOwnInsteadOfItsEndpoints() {
        WorkerServer.writeOverride("public-origins.xml",
                "<variable name=\"worker.http.publicOrigins\" value=\"https://worker.example.com, http://localhost:8000\"/>");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> requeueUnknownJobFrom("https://worker.example.com").status() == 404);
            assertEquals(404, requeueUnknownJobFrom("https://worker.example.com:443").status());
            assertEquals(404, requeueUnknownJobFrom("http://localhost:8000").status());
            assertEquals(403, requeueUnknownJobFrom("http://worker.example.com").status(), "another scheme is another site");
            assertEquals(403, requeueUnknownJobFrom("http://localhost:" + WorkerServer.uri("").getPort()).status(),
                    "the list replaces the default: behind a proxy the server's own endpoint is not where browsers are");
        } finally {
            WorkerServer.removeOverride("public-origins.xml");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> requeueUnknownJobFrom("https://worker.example.com").status() == 403);
        assertEquals(404, requeueUnknownJobFrom("http://localhost:" + WorkerServer.uri("").getPort()).status());
    }

    @Test
    void theSingleSignOnCookieIsSecureSoABrowserSendsItOverHttpsOnlyAndBasicCredentialsStillWorkOverHttp() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .sslContext(Tls.context(WorkerServer.serverDir().resolve("resources/security/key.p12"), User.KEYSTORE_PASSWORD))
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).connectTimeout(Duration.ofSeconds(5)).build();
        Api https = new Api("https://localhost:19443/" + APP, APP).over(browser);
        Api http = api.over(browser);

        Answer signIn = https.as(User.VIEWER).get("/api/jobs?limit=1");
        assertEquals(200, signIn.status(), signIn.body());
        String cookie = signIn.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith("LtpaToken2=")).findFirst()
                .orElseThrow(() -> new AssertionError("no single sign-on cookie: " + signIn.headers()));
        assertTrue(List.of(cookie.split(";\\s*")).contains("Secure"), cookie);
        assertTrue(List.of(cookie.split(";\\s*")).contains("SameSite=Strict"), cookie);

        assertEquals(200, https.anonymous().get("/api/jobs?limit=1").status(), "the cookie signs in over HTTPS");
        assertEquals(401, http.anonymous().get("/api/jobs?limit=1").status(), "the cookie is not sent over plain HTTP");

        Answer basicOverHttp = http.as(User.VIEWER).get("/api/jobs?limit=1");
        assertEquals(200, basicOverHttp.status(), "basic credentials work over plain HTTP, as on the dev server's dashboard");
        assertTrue(basicOverHttp.header("Set-Cookie").isEmpty(), "no cookie is handed out over plain HTTP: " + basicOverHttp.headers());
    }

    @Test
    void whatOperatorsAndAdminsDoIsAuditedWithTheirNamesAndWhatTheyTouched() {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        String name = fixture.scheduleName();
        assertEquals(403, api.as(User.VIEWER).post("/api/schedules/" + name + "/pause", "application/json", new byte[0]).status());
        assertEquals(200, api.as(User.OPERATOR).post("/api/schedules/" + name + "/pause", "application/json", new byte[0]).status());
        assertEquals(200, api.as(User.ADMIN).post("/api/schedules/" + name + "/resume", "application/json", new byte[0]).status());

        String path = "/" + APP + "/api/schedules/" + name;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> audit = log.lines().stream().filter(l -> l.contains("[audit]")).toList();
            assertTrue(audit.stream().anyMatch(l -> l.contains("[audit] viewer POST " + path + "/pause -> 403")), audit.toString());
            assertTrue(audit.stream().anyMatch(l -> l.contains("[audit] operator POST " + path + "/pause -> 200")), audit.toString());
            assertTrue(audit.stream().anyMatch(l -> l.contains("[audit] admin POST " + path + "/resume -> 200")), audit.toString());
        });
    }

    private Answer requeueUnknownJobFrom(String origin) {
        Api operator = api.as(User.OPERATOR);
        return operator.send(operator.request("/api/jobs/" + UNKNOWN_JOB + "/requeue")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.noBody()));
    }
}
