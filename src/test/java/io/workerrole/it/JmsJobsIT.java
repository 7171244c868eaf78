package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs over JMS, as a producer that knows only the documented contract sends them: the reply
 * comes back on JMSReplyTo with the request's correlation id; a message that can never be a job
 * is dead-lettered at once with the reason, recorded REJECTED, and the queue flows on.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JmsJobsIT {

    private static final String APP = "jmsjobs";
    private static final String REPLIES = "jms/worker/replies";
    private static final String DEAD = "jms/worker/dead";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void anEchoJobRepliesOnJmsReplyToWithTheCorrelationId() {
        String correlationId = "order-" + UUID.randomUUID();
        api.sendMessage("{\"type\": \"echo\", \"payload\": {\"order\": 42}}",
                Map.of("correlationId", correlationId, "replyTo", REPLIES));

        JsonObject reply = api.receive(REPLIES, correlationId);
        JsonObject body = Api.parse(reply.getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", body.getString("state"));
        assertEquals("echo", body.getString("type"));
        assertEquals(Api.parse("{\"order\": 42}"), body.get("result"));
        JsonObject job = api.job(body.getString("jobId"));
        assertEquals("JMS", job.getString("source"));
        assertEquals(correlationId, job.getString("correlationId"));
    }

    @Test
    void aJobMessageSentInATransactionCountsOnlyIfItCommits() {
        String run = UUID.randomUUID().toString();
        api.sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"" + run + "-rolled-back\"}",
                Map.of("transaction", "rollback", "correlationId", run));
        api.sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"" + run + "-committed\"}", Map.of("transaction", "commit"));

        await().atMost(Duration.ofSeconds(30)).until(() -> jobsWithKey(run + "-committed").contains("SUCCEEDED"));
        // Sent first, the rolled-back message would have been taken before the committed one; and it is not waiting either.
        assertEquals("[]", jobsWithKey(run + "-rolled-back"));
        assertEquals(0, api.depth("jms/worker/jobs", run));
    }

    private String jobsWithKey(String key) {
        return api.get("/api/jobs?idempotencyKey=" + key).json().getJsonArray("jobs").toString();
    }

    @Test
    void withoutACorrelationIdTheReplyCarriesTheMessageId() {
        String messageId = api.sendMessage("{\"type\": \"echo\", \"payload\": 1}", Map.of("replyTo", REPLIES));

        JsonObject reply = api.receive(REPLIES, messageId);
        assertEquals("SUCCEEDED", Api.parse(reply.getString("body")).asJsonObject().getString("state"));
    }

    @Test
    void aJobAskingForAReplyGetsOneOnTheDefaultReplyQueue() {
        String correlationId = "asked-" + UUID.randomUUID();
        api.sendMessage("{\"type\": \"echo\", \"payload\": \"x\", \"reply\": true}", Map.of("correlationId", correlationId));

        assertEquals("SUCCEEDED", Api.parse(api.receive(REPLIES, correlationId).getString("body")).asJsonObject().getString("state"));
    }

    @Test
    void aJobThatDiesRepliesWithItsError() {
        String correlationId = "dies-" + UUID.randomUUID();
        api.sendMessage("{\"type\": \"fail\", \"payload\": {\"message\": \"cannot\"}}",
                Map.of("correlationId", correlationId, "replyTo", REPLIES));

        JsonObject body = Api.parse(api.receive(REPLIES, correlationId).getString("body")).asJsonObject();
        assertEquals("DEAD", body.getString("state"));
        assertTrue(body.getString("error").contains("cannot"), body.toString());
    }

    static Stream<Arguments> poison() {
        return Stream.of(
                Arguments.of("bad JSON", "{\"type\": ", "text", "not valid JSON"),
                Arguments.of("missing type", "{\"payload\": {}}", "text", "\"type\" is required"),
                Arguments.of("unknown type", "{\"type\": \"nope\"}", "text", "unknown job type"),
                Arguments.of("wrong field type", "{\"type\": \"echo\", \"idempotencyKey\": 5}", "text", "must be a string"),
                Arguments.of("not a text message", "{\"type\": \"echo\"}", "bytes", "not a text message (BytesMessage)"),
                Arguments.of("too large", "{\"type\": \"echo\", \"payload\": \"" + "y".repeat(1_048_577) + "\"}", "text", "larger than the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poison")
    void aMessageThatCannotBeAJobIsDeadLetteredAtOnceAndTheQueueFlowsOn(String what, String body, String kind, String reason) {
        String correlationId = "bad-" + UUID.randomUUID();
        String goodId = "good-" + UUID.randomUUID();
        api.sendMessage(body, Map.of("correlationId", correlationId, "kind", kind, "replyTo", REPLIES));
        api.sendMessage("{\"type\": \"echo\", \"payload\": \"after the bad one\"}", Map.of("correlationId", goodId, "replyTo", REPLIES));

        JsonObject dead = api.receive(DEAD, correlationId);
        String deadReason = dead.getJsonObject("properties").getString("workerDeadReason");
        assertTrue(deadReason.contains(reason), deadReason);
        assertEquals(kind, dead.getString("kind"), "the dead letter keeps the message as it was");
        JsonObject rejected = api.job(dead.getJsonObject("properties").getString("workerJobId"));
        assertEquals("REJECTED", rejected.getString("state"));
        assertEquals(0, rejected.getInt("attempts"), "rejected at once, never retried");
        assertTrue(rejected.getString("error").contains(reason));

        JsonObject rejectionReply = Api.parse(api.receive(REPLIES, correlationId).getString("body")).asJsonObject();
        assertEquals("REJECTED", rejectionReply.getString("state"));
        JsonObject goodReply = Api.parse(api.receive(REPLIES, goodId).getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", goodReply.getString("state"), "the next message is processed normally");
    }
}
