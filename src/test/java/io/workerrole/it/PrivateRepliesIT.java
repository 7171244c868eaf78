package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reply queue of one producer's own, on the embedded engine, configured as the README says
 * (Whose replies are whose): the queue and a role in broker/embedded.xml, SEND for the worker, and
 * the queue in worker.jms.replyQueues. The worker replies there, the producer reads its reply, and
 * another submitter (admin, also in job-submitter) may not read the queue at all, while both may
 * read the shared worker.replies.
 */
@ConcurrentClass
class PrivateRepliesIT {

    private static final String OWN_REPLIES = "jms/test/replies.submitter";

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api probe;

    @BeforeAll
    static void startAWorkerWithAReplyQueueOfTheSubmittersOwn() throws Exception {
        server = SERVERS.create("workerRepliesIT", Map.of("worker.jms.replyQueues", "worker.replies,replies.submitter"));
        Path embedded = server.dir().resolve("broker/embedded.xml");
        String xml = Files.readString(embedded);
        xml = insert(xml, "<queue id=\"worker.dead\"/>", "\n        <queue id=\"replies.submitter\"/>");
        xml = insert(xml, "<messagingSecurity>", """

                    <role name="submitterReplies">
                        <queuePermission queueRef="replies.submitter"><action>RECEIVE</action><action>BROWSE</action></queuePermission>
                        <user name="submitter"/>
                    </role>""");
        xml = insert(xml, "<queuePermission queueRef=\"worker.dead\"><action>ALL</action></queuePermission>",
                "\n                <queuePermission queueRef=\"replies.submitter\"><action>SEND</action></queuePermission>");
        Files.writeString(embedded, xml);
        // The producers' connection factory: without the worker's credentials, so that each signs in as itself.
        server.writeOverride("replies.xml",
                "<jmsQueue jndiName=\"" + OWN_REPLIES + "\"><properties.wasJms queueName=\"replies.submitter\"/></jmsQueue>"
                        + "<jmsConnectionFactory jndiName=\"jms/test/producers\"><properties.wasJms/></jmsConnectionFactory>");
        server.withJmsProbe().start();
        probe = server.probe();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.status("/probe/probe/jms/depth?queue=jms/worker/replies") == 200);
    }

    @Test
    void theWorkerRepliesOnTheProducersOwnListedQueueWhichNoOtherSubmitterMayRead() {
        String correlationId = "own-" + UUID.randomUUID();
        Answer sent = probe.post("/probe/jms/send?replyTo=" + OWN_REPLIES + "&correlationId=" + correlationId + as(User.SUBMITTER),
                "text/plain", "{\"type\": \"echo\", \"payload\": \"mine\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, sent.status(), sent.body());

        Answer othersLook = probe.get("/probe/jms/depth?queue=" + OWN_REPLIES + as(User.ADMIN));
        assertEquals(403, othersLook.status(), othersLook.body());
        assertTrue(othersLook.body().contains("does not have authorization"), "another submitter may not browse it: " + othersLook.body());
        Answer othersTake = probe.get("/probe/jms/receive?queue=" + OWN_REPLIES + "&timeoutMs=1000" + as(User.ADMIN));
        assertEquals(403, othersTake.status(), othersTake.body());
        assertTrue(othersTake.body().contains("does not have authorization"), "nor take from it: " + othersTake.body());

        Answer received = probe.get("/probe/jms/receive?queue=" + OWN_REPLIES + "&timeoutMs=30000&correlationId=" + correlationId
                + as(User.SUBMITTER));
        assertEquals(200, received.status(), received.body());
        assertEquals(correlationId, received.json().getString("correlationId"));
        JsonObject reply = Api.parse(received.json().getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", reply.getString("state"));
        assertEquals("mine", reply.getString("result"));
    }

    @Test
    void theSharedReplyQueueIsReadableByEverySubmitter() {
        Answer admin = probe.get("/probe/jms/depth?queue=jms/worker/replies" + as(User.ADMIN));
        assertEquals(200, admin.status(), admin.body());
        Answer submitter = probe.get("/probe/jms/depth?queue=jms/worker/replies" + as(User.SUBMITTER));
        assertEquals(200, submitter.status(), submitter.body());
    }

    /** @return the text with the addition after the one place the anchor is */
    private static String insert(String text, String anchor, String addition) {
        int at = text.indexOf(anchor);
        assertTrue(at >= 0 && text.indexOf(anchor, at + 1) < 0, "broker/embedded.xml has " + anchor + " once");
        return text.substring(0, at + anchor.length()) + addition + text.substring(at + anchor.length());
    }

    private static String as(User user) {
        return "&cf=jms/test/producers&user=" + user.name() + "&password=" + URLEncoder.encode(user.password(), StandardCharsets.UTF_8);
    }
}
