package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.CallbackListener;
import io.workerrole.it.support.Deployments;
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
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The final status is POSTed to the job's callbackUrl, retried while the listener fails; and
 * only to the origins admins allow (reliability R20; the test server allows the listener's
 * {@link CallbackListener#ORIGIN}): a callback elsewhere is refused when the job is submitted, over
 * HTTP and JMS, another port of the listener's host too, and a redirect is never followed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ResourceLock(CallbackListener.FIXED_PORT)
class CallbackIT {

    private static final String APP = "callbacks";
    private final Api api = new Api(APP);
    private CallbackListener listener;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void startListener() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        listener = CallbackListener.start();
    }

    @AfterEach
    void stopListener() {
        listener.close();
    }

    @Test
    void theFinalStatusIsPostedToTheCallbackUrl() {
        String id = api.submit("{\"type\": \"echo\", \"payload\": {\"a\": 1}, \"callbackUrl\": \"" + listener.url() + "\"}")
                .json().getString("id");

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.received().size() == 1);
        JsonObject status = Api.parse(listener.received().get(0)).asJsonObject();
        assertEquals(id, status.getString("jobId"));
        assertEquals("SUCCEEDED", status.getString("state"));
        assertEquals(Api.parse("{\"a\": 1}"), status.get("result"));
    }

    @Test
    void aFailingCallbackIsRetriedAndNeverChangesTheJob() {
        listener.failNext(2);
        String id = api.submit("{\"type\": \"echo\", \"payload\": 5, \"callbackUrl\": \"" + listener.url() + "\"}")
                .json().getString("id");

        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.received().size() == 3);
        assertEquals(listener.received().get(0), listener.received().get(2), "the same status each time");
        assertEquals("SUCCEEDED", api.job(id).getString("state"), "callback failures leave the job as it was");
    }

    @Test
    void aCallbackToAnOriginNotAllowedIsRefusedWhenTheJobIsSubmittedOverHttpOrJms() {
        String job = "{\"type\": \"echo\", \"callbackUrl\": \"http://169.254.169.254/latest/meta-data/\"}";
        Answer refused = api.submit(job);
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.json().getString("message").contains("\"callbackUrl\" origin http://169.254.169.254:80 is not in worker.callback.allowedOrigins"),
                refused.body());

        String correlationId = "ssrf-" + UUID.randomUUID();
        api.sendMessage(job, Map.of("correlationId", correlationId));
        JsonObject deadLetter = api.receive("jms/worker/dead", correlationId);
        JsonObject properties = deadLetter.getJsonObject("properties");
        assertTrue(properties.getString("workerDeadReason").contains("worker.callback.allowedOrigins"), deadLetter.toString());
        assertEquals("REJECTED", api.job(properties.getString("workerJobId")).getString("state"));
    }

    @Test
    void anotherPortOfTheListenersHostIsRefusedWhenTheJobIsSubmittedOverHttpOrJms() throws IOException {
        try (CallbackListener otherPort = CallbackListener.startElsewhere()) {
            String job = "{\"type\": \"echo\", \"callbackUrl\": \"" + otherPort.url() + "\"}";
            Answer refused = api.submit(job);
            assertEquals(422, refused.status(), refused.body());
            assertTrue(refused.json().getString("message").contains(
                    "\"callbackUrl\" origin " + otherPort.origin() + " is not in worker.callback.allowedOrigins"), refused.body());

            String correlationId = "other-port-" + UUID.randomUUID();
            api.sendMessage(job, Map.of("correlationId", correlationId));
            JsonObject properties = api.receive("jms/worker/dead", correlationId).getJsonObject("properties");
            assertTrue(properties.getString("workerDeadReason").contains("is not in worker.callback.allowedOrigins"), properties.toString());
            assertEquals("REJECTED", api.job(properties.getString("workerJobId")).getString("state"));
            assertEquals(0, otherPort.received().size(), "nothing was sent to the other port");
        }
    }

    @Test
    void aCallbackIsNeverRedirectedElsewhere() throws IOException {
        try (CallbackListener elsewhere = CallbackListener.startElsewhere()) {
            listener.redirectTo(elsewhere.url());
            String id = api.submit("{\"type\": \"echo\", \"payload\": 7, \"callbackUrl\": \"" + listener.url() + "\"}")
                    .json().getString("id");

            api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.received().size() >= 2);
            // The window is what is asserted; the rest of atMost only spares a slow poll on a loaded machine (what breaks this stays broken).
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> elsewhere.received().isEmpty());
            assertEquals(0, elsewhere.received().size(), "a redirect counts as a failed attempt, and is not followed");
        }
    }
}
