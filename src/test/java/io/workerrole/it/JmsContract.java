package io.workerrole.it;

import io.workerrole.it.support.Api;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs over JMS, as a producer that knows only the documented contract sends them, written once
 * and run on each broker the worker supports (one subclass per broker: {@link JmsJobsIT} on the
 * embedded engine, {@link ArtemisIT} on Artemis): the reply comes back on JMSReplyTo with the
 * request's correlation id; JMSPriority orders the backlog; a message that can never be a job is
 * dead-lettered at once with the reason, recorded REJECTED, and the queue flows on; so is one
 * whose JMSReplyTo is neither a temporary queue of the sender's nor in worker.jms.replyQueues,
 * and nothing is sent there. The producer
 * is the JMS probe inside the worker's server, on the server's JNDI names.
 */
abstract class JmsContract {

    private static final String REPLIES = "jms/worker/replies";
    private static final String DEAD = "jms/worker/dead";
    private static final String JOBS = "jms/worker/jobs";
    /** worker.concurrency on both test servers. */
    private static final int SLOTS = 16;

    /** @return the worker's job API */
    abstract Api api();

    /** @return the JMS probe on the worker's server */
    abstract Api probe();

    @Test
    void anEchoJobRepliesOnJmsReplyToWithTheCorrelationId() {
        String correlationId = "order-" + UUID.randomUUID();
        probe().sendMessage("{\"type\": \"echo\", \"payload\": {\"order\": 42}}",
                Map.of("correlationId", correlationId, "replyTo", REPLIES));

        JsonObject reply = probe().receive(REPLIES, correlationId);
        JsonObject body = Api.parse(reply.getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", body.getString("state"));
        assertEquals("echo", body.getString("type"));
        assertEquals(Api.parse("{\"order\": 42}"), body.get("result"));
        JsonObject job = api().job(body.getString("jobId"));
        assertEquals("JMS", job.getString("source"));
        assertEquals(correlationId, job.getString("correlationId"));
    }

    /**
     * The worker sends replies with its own rights, which reach every queue: a JMSReplyTo that is
     * neither a temporary queue of the sender's nor in worker.jms.replyQueues (worker.replies on
     * the test servers) is refused at intake, the job REJECTED with the reason and the message
     * dead-lettered, and no reply goes there. A reply sent to worker.jobs would be taken as a job
     * message (it has the job's "type") and become a second echo job; one sent to worker.dead
     * would wait there under the job's correlation id: neither comes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"worker.jobs", "worker.dead", "orders.replies"})
    void aJmsReplyToWhereTheSenderMayNotReceiveIsRefusedWithTheReasonAndNothingIsSentThere(String queue) {
        String correlationId = "replyto-" + UUID.randomUUID();
        probe().sendMessage("{\"type\": \"echo\", \"payload\": 1}", Map.of("correlationId", correlationId, "replyToQueue", queue));

        JsonObject dead = probe().receive(DEAD, correlationId);
        String reason = dead.getJsonObject("properties").getString("workerDeadReason", "(no reason: not a dead letter)");
        assertTrue(reason.startsWith("JMSReplyTo names the queue " + queue + ", which is neither a temporary queue of the sender's nor in "
                + "worker.jms.replyQueues"), reason);
        JsonObject rejected = api().job(dead.getJsonObject("properties").getString("workerJobId"));
        assertEquals("REJECTED", rejected.getString("state"));
        assertEquals(0, rejected.getInt("attempts"), "the echo never ran");
        assertEquals(reason, rejected.getString("error"));

        String echoesSince = "/api/jobs?type=echo&from=" + rejected.getString("enqueuedAt");
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> probe().depth(DEAD, correlationId) == 0
                && probe().depth(JOBS, correlationId) == 0 && api().get(echoesSince).json().getJsonArray("jobs").size() == 1);
    }

    @Test
    void aJobMessageSentInATransactionCountsOnlyIfItCommits() {
        String run = UUID.randomUUID().toString();
        probe().sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"" + run + "-rolled-back\"}",
                Map.of("transaction", "rollback", "correlationId", run));
        probe().sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"" + run + "-committed\"}", Map.of("transaction", "commit"));

        await().atMost(Duration.ofSeconds(30)).until(() -> jobsWithKey(run + "-committed").toString().contains("SUCCEEDED"));
        // Sent first, the rolled-back message would have been taken before the committed one; and it is not waiting either.
        assertEquals(List.of(), jobsWithKey(run + "-rolled-back"));
        assertEquals(0, probe().depth("jms/worker/jobs", run));
    }

    @Test
    void withoutACorrelationIdTheReplyCarriesTheMessageId() {
        String messageId = probe().sendMessage("{\"type\": \"echo\", \"payload\": 1}", Map.of("replyTo", REPLIES));

        JsonObject reply = probe().receive(REPLIES, messageId);
        assertEquals("SUCCEEDED", Api.parse(reply.getString("body")).asJsonObject().getString("state"));
    }

    @Test
    void aJobAskingForAReplyGetsOneOnTheDefaultReplyQueue() {
        String correlationId = "asked-" + UUID.randomUUID();
        probe().sendMessage("{\"type\": \"echo\", \"payload\": \"x\", \"reply\": true}", Map.of("correlationId", correlationId));

        assertEquals("SUCCEEDED", Api.parse(probe().receive(REPLIES, correlationId).getString("body")).asJsonObject().getString("state"));
    }

    @Test
    void aJobThatDiesRepliesWithItsError() {
        String correlationId = "dies-" + UUID.randomUUID();
        probe().sendMessage("{\"type\": \"fail\", \"payload\": {\"message\": \"cannot\"}}",
                Map.of("correlationId", correlationId, "replyTo", REPLIES));

        JsonObject body = Api.parse(probe().receive(REPLIES, correlationId).getString("body")).asJsonObject();
        assertEquals("DEAD", body.getString("state"));
        assertTrue(body.getString("error").contains("cannot"), body.toString());
    }

    /**
     * JMSPriority is the job's priority (a "priority" in the body overrides it), and the backlog
     * is started highest priority first: messages sent while every slot is busy wait as jobs in
     * the job store, and the high ones, though sent last, start before any low one.
     */
    @Test
    void underABacklogJobMessagesOfHigherJmsPriorityStartFirst() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> blockers = IntStream.range(0, SLOTS).mapToObj(i -> api().submit(
                "{\"type\": \"sleep\", \"payload\": {\"ms\": 6000}}").json().getString("id")).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> blockers.stream().allMatch(id -> "RUNNING".equals(api().job(id).getString("state"))));

        probe().sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"low-" + run + "-{i}\"}", Map.of("count", "10", "priority", "1"));
        probe().sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"high-" + run + "-{i}\"}", Map.of("count", "4", "priority", "8"));
        probe().sendMessage("{\"type\": \"echo\", \"idempotencyKey\": \"high-" + run + "-4\", \"priority\": 9}", Map.of("priority", "0"));
        List<JsonObject> low = await().atMost(Duration.ofSeconds(10)).until(() -> keyed("low-" + run, 10), jobs -> jobs.size() == 10);
        List<JsonObject> high = await().atMost(Duration.ofSeconds(10)).until(() -> keyed("high-" + run, 5), jobs -> jobs.size() == 5);
        assertTrue(Stream.concat(low.stream(), high.stream()).allMatch(job -> "QUEUED".equals(job.getString("state"))), "a backlog");
        assertEquals(List.of(1), low.stream().map(job -> job.getInt("priority")).distinct().toList(), "JMSPriority 1");
        assertEquals(List.of(8, 8, 8, 8, 9), high.stream().map(job -> job.getInt("priority")).toList(), "JMSPriority 8, and the body's 9 over JMSPriority 0");

        List<Instant> highStarts = high.stream().map(job -> startOf(job.getString("id"))).toList();
        List<Instant> lowStarts = low.stream().map(job -> startOf(job.getString("id"))).toList();
        assertFalse(Collections.max(highStarts).isAfter(Collections.min(lowStarts)),
                "every high-priority job started no later than the first low one, though sent after: " + highStarts + " vs " + lowStarts);
    }

    private Instant startOf(String id) {
        return Instant.parse(api().awaitState(id, "SUCCEEDED", Duration.ofSeconds(30)).getString("startedAt"));
    }

    /** @return the jobs keyed PREFIX-0 to PREFIX-(count-1) that exist so far, in key order */
    private List<JsonObject> keyed(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> jobsWithKey(prefix + "-" + i)).flatMap(List::stream).toList();
    }

    private List<JsonObject> jobsWithKey(String key) {
        return api().get("/api/jobs?idempotencyKey=" + key).json().getJsonArray("jobs").stream().map(j -> j.asJsonObject()).toList();
    }

    static Stream<Arguments> poison() {
        return Stream.of(
                Arguments.of("bad JSON", "{\"type\": ", "text", "", "not valid JSON"),
                Arguments.of("missing type", "{\"payload\": {}}", "text", "", "\"type\" is required"),
                Arguments.of("unknown type", "{\"type\": \"nope\"}", "text", "", "unknown job type"),
                Arguments.of("wrong field type", "{\"type\": \"echo\", \"idempotencyKey\": 5}", "text", "", "must be a string"),
                Arguments.of("not a text message", "{\"type\": \"echo\"}", "bytes", "", "not a text message (BytesMessage)"),
                Arguments.of("too large", "{\"type\": \"echo\", \"payload\": \"" + "y".repeat(1_048_577) + "\"}", "text", "", "larger than the limit"),
                Arguments.of("correlation id too long", "{\"type\": \"echo\"}", "text", "-" + "z".repeat(200),
                        "JMSCorrelationID is longer than 200 characters"),
                Arguments.of("delay of Long.MAX_VALUE seconds", "{\"type\": \"echo\", \"delay\": \"PT9223372036854775807S\"}", "text", "",
                        "\"delay\" PT9223372036854775807S is longer than"),
                Arguments.of("runAt in the year 999999999", "{\"type\": \"echo\", \"runAt\": \"+999999999-01-01T00:00:00Z\"}", "text", "",
                        "\"runAt\" +999999999-01-01T00:00:00Z is more than"),
                Arguments.of("sequence key over 200 characters", "{\"type\": \"echo\", \"sequence\": {\"key\": \"" + "k".repeat(201)
                        + "\", \"number\": 1}}", "text", "", "\"sequence.key\" must be 1 to 200 characters"),
                Arguments.of("mutex over 200 characters", "{\"type\": \"echo\", \"mutex\": \"" + "m".repeat(201) + "\"}", "text", "",
                        "\"mutex\" must be 1 to 200 characters"));
    }

    /**
     * @param correlationTail added to the message's correlation id: one longer than the job store
     *        keeps (200 characters) is rejected too, and its rejection's reply carries the message id
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("poison")
    void aMessageThatCannotBeAJobIsDeadLetteredAtOnceAndTheQueueFlowsOn(String what, String body, String kind,
                                                                        String correlationTail, String reason) {
        String correlationId = "bad-" + UUID.randomUUID() + correlationTail;
        String goodId = "good-" + UUID.randomUUID();
        String messageId = probe().sendMessage(body, Map.of("correlationId", correlationId, "kind", kind, "replyTo", REPLIES));
        probe().sendMessage("{\"type\": \"echo\", \"payload\": \"after the bad one\"}", Map.of("correlationId", goodId, "replyTo", REPLIES));

        JsonObject dead = probe().receive(DEAD, correlationId);
        String deadReason = dead.getJsonObject("properties").getString("workerDeadReason");
        assertTrue(deadReason.contains(reason), deadReason);
        assertEquals(kind, dead.getString("kind"), "the dead letter keeps the message as it was");
        JsonObject rejected = api().job(dead.getJsonObject("properties").getString("workerJobId"));
        assertEquals("REJECTED", rejected.getString("state"));
        assertEquals(0, rejected.getInt("attempts"), "rejected at once, never retried");
        assertTrue(rejected.getString("error").contains(reason));

        String repliedAs = correlationTail.isEmpty() ? correlationId : messageId;
        JsonObject rejectionReply = Api.parse(probe().receive(REPLIES, repliedAs).getString("body")).asJsonObject();
        assertEquals("REJECTED", rejectionReply.getString("state"));
        JsonObject goodReply = Api.parse(probe().receive(REPLIES, goodId).getString("body")).asJsonObject();
        assertEquals("SUCCEEDED", goodReply.getString("state"), "the next message is processed normally");
    }
}
