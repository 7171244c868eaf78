package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ArtemisBroker;
import io.workerrole.it.support.ArtemisWorker;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.CorrelatedMessages;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.User;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.workerrole.it.support.CorrelatedMessages.selector;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same WAR on Apache ActiveMQ Artemis, chosen by configuration alone: a broker that
 * liberty/artemis.sh made, a server made from server-config/ with worker.messaging=artemis. The
 * JMS contract ({@link JmsContract}) holds as on the embedded engine (on the broker and worker
 * it shares with ArtemisClientsIT: {@link ArtemisWorker}); and, from plain Java SE
 * clients (Artemis's Jakarta JMS client) knowing only the documented contract: each user may do
 * on the worker's queues only what their role allows, a reply comes to a producer's own
 * temporary queue, the broker moves a message delivered worker.maxDeliveries times to
 * worker.dead, and the worker takes jobs again after the broker restarts, without a restart of
 * its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ArtemisWorker.Shared.class)
@ConcurrentClass
@ResourceLock(ArtemisWorker.SHARED)
class ArtemisIT extends JmsContract {

    private static final Duration REPLY_WAIT = Duration.ofSeconds(30);
    /** liberty/artemis.sh's default, as worker.maxDeliveries's. */
    private static final int MAX_DELIVERIES = 5;
    private static final String ECHO = "{\"type\": \"echo\", \"payload\": {\"order\": 42}}";

    private static ArtemisBroker broker;
    private static LibertyServer server;

    @BeforeAll
    static void shareTheBrokerAndWorker(ArtemisWorker shared) {
        broker = shared.broker();
        server = shared.server();
    }

    @Override
    Api api() {
        return server.api();
    }

    @Override
    Api probe() {
        return server.probe();
    }

    @Test
    void aWrongPasswordOrAUserTheBrokerDoesNotKnowIsRefused() {
        for (User user : List.of(new User(User.SUBMITTER.name(), "not-the-password"), User.VIEWER)) {
            assertThrows(JMSSecurityRuntimeException.class, () -> broker.context(user).close(), user.name() + " signs in");
        }
    }

    @Test
    void aSubmitterSendsJobsAndReadsTheirRepliesButTakesNoJobMessagesAndReadsNoDeadLetters() throws JMSException {
        String correlationId = "order-" + UUID.randomUUID();
        try (JMSContext submitter = broker.context(User.SUBMITTER)) {
            Queue replies = submitter.createQueue("worker.replies");
            submitter.createProducer().setJMSCorrelationID(correlationId).setJMSReplyTo(replies)
                    .send(submitter.createQueue("worker.jobs"), ECHO);

            JsonObject body = Api.parse(((TextMessage) receive(submitter, replies, correlationId)).getText()).asJsonObject();
            assertEquals("SUCCEEDED", body.getString("state"));
            assertEquals(Api.parse("{\"order\": 42}"), body.get("result"));
            assertEquals(correlationId, api().job(body.getString("jobId")).getString("correlationId"));

            assertRefused("CONSUME", () -> submitter.createConsumer(submitter.createQueue("worker.jobs")).close());
            assertRefused("BROWSE", () -> submitter.createBrowser(submitter.createQueue("worker.dead")).getEnumeration());
        }
    }

    @Test
    void onlyTheWorkerTakesJobMessagesAndOperatorsReadDeadLetters() throws JMSException {
        for (User user : List.of(User.OPERATOR, User.ADMIN)) {
            try (JMSContext context = broker.context(user)) {
                assertRefused("CONSUME", () -> context.createConsumer(context.createQueue("worker.jobs")).close());
            }
        }
        try (JMSContext operator = broker.context(User.OPERATOR)) {
            assertNotNull(operator.createBrowser(operator.createQueue("worker.dead")).getEnumeration());
            assertRefused("SEND", () -> operator.createProducer().send(operator.createQueue("worker.jobs"), ECHO));
        }
        // The broker's admin is also a submitter and an operator (artemis-roles.properties).
        try (JMSContext admin = broker.context(User.ADMIN)) {
            admin.createProducer().send(admin.createQueue("worker.jobs"), ECHO);
            assertNotNull(admin.createBrowser(admin.createQueue("worker.dead")).getEnumeration());
        }
    }

    @Test
    void aReplyComesToTheSubmittersOwnTemporaryQueue() throws JMSException {
        String correlationId = "temporary-" + UUID.randomUUID();
        try (JMSContext submitter = broker.context(User.SUBMITTER)) {
            TemporaryQueue replies = submitter.createTemporaryQueue();
            submitter.createProducer().setJMSCorrelationID(correlationId).setJMSReplyTo(replies)
                    .send(submitter.createQueue("worker.jobs"), ECHO);

            JsonObject body = Api.parse(((TextMessage) receive(submitter, replies, correlationId)).getText()).asJsonObject();
            assertEquals("SUCCEEDED", body.getString("state"));
            assertEquals(correlationId, api().job(body.getString("jobId")).getString("correlationId"));
        }
    }

    /**
     * Artemis's client takes a JMSReplyTo's kind from the message itself, so a sender may call any
     * address a temporary queue: one that calls worker.jobs so is refused as worker.jobs itself
     * is, and no reply goes there.
     */
    @Test
    void aJmsReplyToThatCallsWorkerJobsATemporaryQueueIsRefused() throws JMSException {
        String correlationId = "spoofed-" + UUID.randomUUID();
        try (JMSContext submitter = broker.context(User.SUBMITTER)) {
            submitter.createProducer().setJMSCorrelationID(correlationId)
                    .setJMSReplyTo(ActiveMQDestination.createTemporaryQueue("worker.jobs"))
                    .send(submitter.createQueue("worker.jobs"), ECHO);
        }

        JsonObject dead = probe().receive("jms/worker/dead", correlationId);
        String reason = dead.getJsonObject("properties").getString("workerDeadReason", "(no reason: not a dead letter)");
        assertTrue(reason.startsWith("JMSReplyTo calls the worker's own queue worker.jobs a temporary queue"), reason);
        JsonObject rejected = api().job(dead.getJsonObject("properties").getString("workerJobId"));
        assertEquals("REJECTED", rejected.getString("state"));
        assertEquals(0, rejected.getInt("attempts"), "the echo never ran");
    }

    /**
     * Liberty's redelivery limit does not apply on Artemis: the broker's address settings
     * (liberty/artemis.sh) count the deliveries and move the message. With the worker frozen (its
     * endpoint paused), a consumer signed in as the worker rolls a job message back as often as a
     * failing intake would; the broker must then move it to worker.dead, as it was.
     */
    @Test
    void theBrokerMovesAMessageDeliveredWorkerMaxDeliveriesTimesToWorkerDead() throws Exception {
        server.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(intakeState()));
            String correlationId = "redelivered-" + UUID.randomUUID();
            try (JMSContext submitter = broker.context(User.SUBMITTER)) {
                submitter.createProducer().setJMSCorrelationID(correlationId).send(submitter.createQueue("worker.jobs"), ECHO);
            }
            try (JMSContext worker = broker.context(User.WORKER, JMSContext.SESSION_TRANSACTED);
                 JMSConsumer consumer = worker.createConsumer(worker.createQueue("worker.jobs"), selector(correlationId))) {
                for (int delivery = 1; delivery <= MAX_DELIVERIES; delivery++) {
                    Message message = consumer.receive(REPLY_WAIT.toMillis());
                    assertNotNull(message, "delivery " + delivery);
                    assertEquals(delivery, message.getIntProperty("JMSXDeliveryCount"));
                    worker.rollback();
                }
                assertNull(consumer.receive(1000), "not delivered a sixth time");
            }
            try (JMSContext operator = broker.context(User.OPERATOR)) {
                Message dead = receive(operator, operator.createQueue("worker.dead"), correlationId);
                assertEquals("worker.jobs", dead.getStringProperty("_AMQ_ORIG_ADDRESS"), "moved by the broker, from worker.jobs");
                assertFalse(dead.propertyExists("workerJobId"), "not by the worker");
                assertEquals(ECHO, ((TextMessage) dead).getText());
            }
        } finally {
            server.removeOverride("freeze.xml");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(intakeState()));
    }

    /**
     * An idempotency key is its sender's, as the broker validated them (liberty/artemis.sh sets
     * populateValidatedUser): two users with one key get two jobs, one user twice gets one, and a
     * sender who sets the validated user itself (JMSXUserID or _AMQ_VALIDATED_USER) is still itself.
     */
    @Test
    void anIdempotencyKeyIsItsSendersAsTheBrokerValidatedThem() {
        String key = "artemis-" + UUID.randomUUID();
        String message = "{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\"}";
        try (JMSContext submitter = broker.context(User.SUBMITTER); JMSContext admin = broker.context(User.ADMIN)) {
            submitter.createProducer().send(submitter.createQueue("worker.jobs"), message);
            submitter.createProducer().send(submitter.createQueue("worker.jobs"), message);
            admin.createProducer().setProperty("JMSXUserID", User.SUBMITTER.name()).send(admin.createQueue("worker.jobs"), message);
            admin.createProducer().setProperty("_AMQ_VALIDATED_USER", User.SUBMITTER.name()).send(admin.createQueue("worker.jobs"), message);
        }
        String listing = "/api/jobs?idempotencyKey=" + key;
        await().atMost(REPLY_WAIT).until(() -> api().all(listing, "jobs").size() >= 2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> api().all(listing, "jobs").size() == 2);
    }

    /**
     * Last, so that the other tests need not wait for the worker to reconnect. The activation
     * spec tries again for ever (server-config/broker/artemis.xml): jobs sent once the broker is
     * back are taken in and replied to, the worker untouched.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterTheBrokerRestartsTheWorkerTakesJobsAndRepliesWithoutARestartOfItsOwn() throws JMSException {
        broker.stop();
        broker.start();
        Instant brokerBack = Instant.now();
        String correlationId = "restarted-" + UUID.randomUUID();
        try (JMSContext submitter = broker.context(User.SUBMITTER)) {
            Queue replies = submitter.createQueue("worker.replies");
            submitter.createProducer().setJMSCorrelationID(correlationId).setJMSReplyTo(replies)
                    .send(submitter.createQueue("worker.jobs"), ECHO);

            Message reply = CorrelatedMessages.receive(submitter, replies, correlationId, Duration.ofSeconds(60));
            JsonObject body = Api.parse(((TextMessage) reply).getText()).asJsonObject();
            assertEquals("SUCCEEDED", body.getString("state"));
            Instant taken = Instant.parse(api().job(body.getString("jobId")).getString("createdAt"));
            System.out.println("[ArtemisIT] a job sent once the broker was back was taken in "
                    + Duration.between(brokerBack, taken).toMillis() + " ms after the broker took connections, replied in "
                    + Duration.between(brokerBack, Instant.now()).toMillis() + " ms");
        }
    }

    /** The broker knew the user and refused the action, naming the permission. */
    private static void assertRefused(String permission, Executable action) {
        Throwable refused = assertThrows(Throwable.class, action, permission);
        assertTrue(refused instanceof JMSSecurityRuntimeException || refused instanceof JMSSecurityException, refused.toString());
        assertTrue(refused.getMessage().contains("does not have permission='" + permission + "'"), refused.getMessage());
    }

    /** @return the state of the worker's job message intake, as its liveness check reports it */
    private static String intakeState() {
        return server.api().get("/health/live").json().getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(check -> "worker-role".equals(check.getString("name"))).findFirst().orElseThrow()
                .getJsonObject("data").getString("task.job-messages.state", null);
    }

    private static Message receive(JMSContext context, Queue queue, String correlationId) {
        return CorrelatedMessages.receive(context, queue, correlationId, REPLY_WAIT);
    }
}
