package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.JmsProbeServlet;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Another Liberty server enqueues work: a producer server with only the JMS client feature
 * connects to the worker's messaging engine on its JMS port (17276 on the test server), sends
 * a job message, and receives the reply there.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RemoteJmsClientIT {

    private static final int PRODUCER_HTTP_PORT = 19280;
    private LibertyServer producer;

    @Deployment(testable = false)
    static WebArchive worker() {
        return Deployments.worker("remotejms");
    }

    @AfterEach
    void stopProducer() {
        if (producer != null) {
            producer.stop();
        }
    }

    @Test
    void aProducerOnAnotherServerEnqueuesAJobAndGetsTheReply() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        Path war = Files.createTempDirectory("producer").resolve("producer.war");
        ShrinkWrap.create(WebArchive.class, "producer.war").addClass(JmsProbeServlet.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        producer = LibertyServer.create("workerProducerIT", PRODUCER_HTTP_PORT, producerServerXml(), war)
                .start("/producer/probe/jms/depth?queue=jms/worker/jobs");

        Api remote = new Api("http://localhost:" + PRODUCER_HTTP_PORT + "/producer", "producer");
        String correlationId = "remote-" + UUID.randomUUID();
        remote.sendMessage("{\"type\": \"echo\", \"payload\": {\"from\": \"another server\"}}",
                Map.of("correlationId", correlationId, "replyTo", "jms/worker/replies"));

        JsonObject reply = Api.parse(remote.receive("jms/worker/replies", correlationId).getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", reply.getString("state"));
        assertEquals(Api.parse("{\"from\": \"another server\"}"), reply.get("result"));
    }

    private static String producerServerXml() {
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
                </server>
                """.formatted(PRODUCER_HTTP_PORT, System.getProperty("liberty.jms.port", "17276"));
    }
}
