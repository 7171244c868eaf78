package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.JmsProbeServlet;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients of the messaging engine on another server (a producer with only the JMS client
 * feature, connecting to the worker's JMS port, 17276 on the test server) must sign in, and may
 * only do what their role allows: a submitter sends job messages and reads replies (on
 * worker.replies, or on a temporary queue of its own), an operator reads dead letters, and
 * nobody but the worker takes job messages off the queue.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JmsSecurityIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer producer;
    private static Api remote;

    @Deployment(testable = false)
    static WebArchive worker() {
        return Deployments.worker("jmssecurity");
    }

    @BeforeEach
    void producerServerIsUp() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        if (producer == null) {
            Path war = Files.createTempDirectory("producer").resolve("producer.war");
            ShrinkWrap.create(WebArchive.class, "producer.war").addClass(JmsProbeServlet.class)
                    .as(ZipExporter.class).exportTo(war.toFile(), true);
            producer = SERVERS.create("workerProducerIT", JmsSecurityIT::producerServerXml, war)
                    .start("/producer/probe/jms/depth?queue=jms/worker/replies" + as(User.SUBMITTER));
            remote = new Api(producer.uri("/producer").toString(), "producer");
        }
    }

    @Test
    void anAnonymousClientOrAWrongPasswordIsRefusedByTheEngine() {
        Answer anonymous = send("{\"type\": \"echo\"}", "");
        assertEquals(403, anonymous.status(), anonymous.body());
        assertTrue(anonymous.body().contains("CWSIA0009E"), "authentication refused: " + anonymous.body());

        Answer wrongPassword = send("{\"type\": \"echo\"}", as(new User(User.SUBMITTER.name(), "not-the-password")));
        assertEquals(403, wrongPassword.status(), wrongPassword.body());
        assertTrue(wrongPassword.body().contains("CWSIA0009E"), wrongPassword.body());
    }

    @Test
    void aSubmitterEnqueuesAJobAndReceivesItsReplyByCorrelationId() {
        String correlationId = "remote-" + UUID.randomUUID();
        Answer sent = send("{\"type\": \"echo\", \"payload\": {\"from\": \"another server\"}}",
                as(User.SUBMITTER) + "&correlationId=" + correlationId + "&replyTo=jms/worker/replies");
        assertEquals(200, sent.status(), sent.body());

        Answer received = remote.get("/probe/jms/receive?queue=jms/worker/replies&timeoutMs=30000&correlationId="
                + correlationId + as(User.SUBMITTER));
        assertEquals(200, received.status(), received.body());
        JsonObject reply = Api.parse(received.json().getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", reply.getString("state"));
        assertEquals(Api.parse("{\"from\": \"another server\"}"), reply.get("result"));
    }

    @Test
    void aSubmittersReplyComesToItsOwnTemporaryQueue() {
        String correlationId = "temporary-" + UUID.randomUUID();
        Answer reply = send("{\"type\": \"echo\", \"payload\": \"temporary\"}",
                as(User.SUBMITTER) + "&correlationId=" + correlationId + "&replyTo=temporary&timeoutMs=30000");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(correlationId, reply.json().getString("correlationId"));
        assertEquals("SUCCEEDED", Api.parse(reply.json().getString("body")).asJsonObject().getString("state"));
    }

    @Test
    void onlyTheWorkerTakesJobMessagesAndOnlyOperatorsReadDeadLetters() {
        Answer submitterTakes = remote.get("/probe/jms/receive?queue=jms/worker/jobs&timeoutMs=1000" + as(User.SUBMITTER));
        assertNotAuthorized(submitterTakes, "a submitter cannot consume worker.jobs");

        Answer viewerSends = send("{\"type\": \"echo\"}", as(User.VIEWER));
        assertNotAuthorized(viewerSends, "a viewer cannot send job messages");

        Answer submitterReadsDead = remote.get("/probe/jms/depth?queue=jms/worker/dead" + as(User.SUBMITTER));
        assertNotAuthorized(submitterReadsDead, "a submitter cannot read dead letters");
        Answer operatorReadsDead = remote.get("/probe/jms/depth?queue=jms/worker/dead" + as(User.OPERATOR));
        assertEquals(200, operatorReadsDead.status(), operatorReadsDead.body());
        assertTrue(Integer.parseInt(operatorReadsDead.body().trim()) >= 0);
    }

    /** The engine knew the user and refused the action (not the sign-in, CWSIA0009E). */
    private static void assertNotAuthorized(Answer answer, String what) {
        assertEquals(403, answer.status(), what + ": " + answer.body());
        assertTrue(answer.body().contains("does not have authorization"), what + ": " + answer.body());
    }

    private static Answer send(String body, String query) {
        return remote.post("/probe/jms/send?" + query.replaceFirst("^&", ""), "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the probe's query parameters to sign in to the engine as the user */
    private static String as(User user) {
        return "&user=" + user.name() + "&password=" + URLEncoder.encode(user.password(), StandardCharsets.UTF_8);
    }

    private static String producerServerXml(int httpPort) {
        return """
                <server>
                    <featureManager>
                        <feature>servlet-6.0</feature>
                        <feature>jsonp-2.1</feature>
                        <feature>jndi-1.0</feature>
                        <feature>messagingClient-3.0</feature>
                    </featureManager>
                    <httpEndpoint id="defaultHttpEndpoint" host="localhost" httpPort="%d" httpsPort="-1"/>
                    <jmsConnectionFactory jndiName="jms/worker/cf">
                        <properties.wasJms remoteServerAddress="localhost:%s:BootstrapBasicMessaging"/>
                    </jmsConnectionFactory>
                    <jmsQueue jndiName="jms/worker/jobs"><properties.wasJms queueName="worker.jobs"/></jmsQueue>
                    <jmsQueue jndiName="jms/worker/replies"><properties.wasJms queueName="worker.replies"/></jmsQueue>
                    <jmsQueue jndiName="jms/worker/dead"><properties.wasJms queueName="worker.dead"/></jmsQueue>
                </server>
                """.formatted(httpPort, System.getProperty("liberty.jms.port", "17276"));
    }
}
