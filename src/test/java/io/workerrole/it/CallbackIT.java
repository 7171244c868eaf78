package io.workerrole.it;

import com.sun.net.httpserver.HttpServer;
import io.workerrole.it.support.Api;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The final status is POSTed to the job's callbackUrl, retried while the listener fails. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CallbackIT {

    private static final String APP = "callbacks";
    private final Api api = new Api(APP);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer listener;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void startListener() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/done", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        listener.start();
    }

    @AfterEach
    void stopListener() {
        listener.stop(0);
    }

    private String callbackUrl() {
        return "http://127.0.0.1:" + listener.getAddress().getPort() + "/done";
    }

    @Test
    void theFinalStatusIsPostedToTheCallbackUrl() {
        String id = api.submit("{\"type\": \"echo\", \"payload\": {\"a\": 1}, \"callbackUrl\": \"" + callbackUrl() + "\"}")
                .json().getString("id");

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
        JsonObject status = Api.parse(received.get(0)).asJsonObject();
        assertEquals(id, status.getString("jobId"));
        assertEquals("SUCCEEDED", status.getString("state"));
        assertEquals(Api.parse("{\"a\": 1}"), status.get("result"));
    }

    @Test
    void aFailingCallbackIsRetriedAndNeverChangesTheJob() {
        failuresLeft.set(2);
        String id = api.submit("{\"type\": \"echo\", \"payload\": 5, \"callbackUrl\": \"" + callbackUrl() + "\"}")
                .json().getString("id");

        api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 3);
        assertEquals(received.get(0), received.get(2), "the same status each time");
        assertEquals("SUCCEEDED", api.job(id).getString("state"), "callback failures leave the job as it was");
    }
}
