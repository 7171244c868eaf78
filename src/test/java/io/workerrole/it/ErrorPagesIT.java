package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.FailingServlet;
import io.workerrole.it.support.RawHttp;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the servlet container answers itself — an unknown path, a URL it refuses, a method a
 * servlet does not take, an exception out of a servlet, the dashboard's sign-in — is the API's
 * JSON error body, with no exception, class name or stack frame in it (issue 28, hole 5: Liberty's
 * own pages showed them to anyone).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ErrorPagesIT {

    private static final String APP = "errorpages";
    /** What Liberty's own pages show and ours must not. */
    private static final List<String> LEAKS = List.of("Exception", "exception", "\tat ", ".java", "io.workerrole", "com.ibm",
            "SRVE", "<html", "<H1>", FailingServlet.SECRET);
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, FailingServlet.class);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void anUnknownPathIs404InJsonWhereverItIs() {
        for (String path : List.of("/nothing/here", "/dashboard/nothing.js", "/WEB-INF/web.xml", "/dashboard/%2e%2e/WEB-INF/web.xml", "/error")) {
            assertJsonError(404, api.as(User.VIEWER).get(path), path);
        }
        assertJsonError(404, api.as(User.VIEWER).get("/api/nothing"), "the API's own 404");
    }

    @Test
    void aUrlTheContainerRefusesIs400InJson() {
        for (String path : List.of("/api/jobs/%2e%2e", "/api/jobs/..%2f..", "/dashboard/%2e%2e")) {
            assertJsonError(400, api.as(User.VIEWER).get(path), path);
        }
    }

    @Test
    void aMethodAServletDoesNotTakeIs405InJson() {
        Api viewer = api.as(User.VIEWER);
        assertJsonError(405, viewer.send(viewer.request(FailingServlet.PATH).DELETE()), "a servlet's 405");
        assertJsonError(405, viewer.send(viewer.request("/api/jobs").DELETE()), "the API's 405");
    }

    @Test
    void anExceptionOutOfAServletIs500InJsonWithoutTheException() {
        Answer failed = api.anonymous().get(FailingServlet.PATH);
        assertJsonError(500, failed, "a servlet that throws");
        assertEquals("unexpected error; the server's log has the details", failed.json().getString("message"));
    }

    @Test
    void theDashboardsSignInAnswersAreJsonAndKeepTheChallenge() {
        Answer anonymous = api.anonymous().get("/dashboard/");
        assertJsonError(401, anonymous, "no credentials");
        assertEquals("Basic realm=\"worker\"", anonymous.header("WWW-Authenticate").orElseThrow(), "the browser still asks for credentials");
        assertJsonError(403, api.as(User.SUBMITTER).get("/dashboard/"), "a user without job-viewer");
        assertEquals(200, api.as(User.VIEWER).get("/dashboard/").status());
    }

    @Test
    void aUrlLibertyCannotDecodeIsRefusedBeforeTheApplicationWithoutFrames() throws IOException {
        // Liberty refuses it before it picks an application, so no error page of ours applies:
        // its one line names the URL, escaped, and nothing of the server's code.
        String refused = RawHttp.exchange("GET /" + APP + "/api/%zz HTTP/1.1\r\nHost: localhost\r\nAccept: application/json");
        assertTrue(refused.startsWith("HTTP/1.1 400 "), refused);
        assertTrue(refused.contains("CWWWC0005I"), refused);
        assertFalse(refused.contains("\tat ") || refused.contains("Exception"), refused);
    }

    private static void assertJsonError(int status, Answer answer, String what) {
        assertEquals(status, answer.status(), what + ": " + answer.body());
        assertTrue(answer.header("Content-Type").orElse("").startsWith("application/json"), what + ": " + answer.headers());
        assertEquals(status, answer.json().getInt("status"), what + ": " + answer.body());
        assertFalse(answer.json().getString("error").isBlank(), what + ": " + answer.body());
        assertFalse(answer.json().getString("message").isBlank(), what + ": " + answer.body());
        for (String leak : LEAKS) {
            assertFalse(answer.body().contains(leak), what + " shows '" + leak + "': " + answer.body());
        }
    }
}
