package io.workerrole.it;

import io.workerrole.it.support.Api;
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

import java.io.IOException;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The final status is POSTed to the job's callbackUrl, retried while the listener fails. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
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
}
