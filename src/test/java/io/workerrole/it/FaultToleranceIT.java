package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.FlakyServiceServlet;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in fetch job calls another service through MicroProfile Fault Tolerance: a service
 * that fails a few times is retried within one job attempt; a URL of an origin that is not
 * allowed (the test server allows its own HTTP endpoint, http://localhost:19080) is refused when
 * the job is submitted.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FaultToleranceIT {

    private static final String APP = "faulttolerance";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP, FlakyServiceServlet.class);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        // The service's first call initializes its servlet, which on a loaded machine can outlast the
        // fetch's @Timeout (5 s) and cost the job an attempt of its own: that call is made here.
        URI warmUp = WorkerServer.uri("/" + APP + "/probe/flaky?failures=0&key=warm-up-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(warmUp).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200);
    }

    @Test
    void aServiceThatFailsTwiceIsRetriedByFaultToleranceWithinOneAttempt() {
        String url = WorkerServer.uri("/" + APP + "/probe/flaky?failures=2&key=" + UUID.randomUUID()).toString();
        String id = api.submit("{\"type\": \"fetch\", \"payload\": {\"url\": \"" + url + "\"}}").json().getString("id");

        JsonObject done = api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(1, done.getInt("attempts"), "@Retry, not the worker's retries, got it through");
        assertEquals(200, done.getJsonObject("result").getInt("status"));
        assertEquals("ok after 3 calls", done.getJsonObject("result").getString("body"));
    }

    @Test
    void aUrlOfAnOriginNotAllowedIsRefusedWhenTheJobIsSubmitted() {
        for (String url : new String[] {"http://example.com/", "http://localhost:19081/", "https://localhost:19080/",
                "http://127.0.0.1:19080/" + APP + "/probe/flaky"}) {
            Api.Answer refused = api.submit("{\"type\": \"fetch\", \"payload\": {\"url\": \"" + url + "\"}}");
            assertEquals(422, refused.status(), url + ": " + refused.body());
            assertTrue(refused.json().getString("message").startsWith("\"payload.url\" origin "), refused.body());
            assertTrue(refused.json().getString("message").contains(" is not in worker.fetch.allowedOrigins"), refused.body());
        }
        Api.Answer noUrl = api.submit("{\"type\": \"fetch\", \"payload\": {\"uri\": \"http://localhost:19080/\"}}");
        assertEquals(422, noUrl.status(), noUrl.body());
        assertTrue(noUrl.json().getString("message").contains("\"payload.url\" is required"), noUrl.body());
    }
}
