package io.workerrole.jobs.control.intake;

import io.workerrole.jobs.control.JobSettings;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyRuleTest {

    private static final Set<String> WORKER_QUEUES = Set.of("worker.jobs", "worker.replies", "worker.dead");
    private final ReplyRule shipped = new ReplyRule(Set.of("worker.replies"), () -> WORKER_QUEUES);

    @Test
    void serverXmlDeclaresWorkerJmsReplyQueuesWithTheDefaultTheWorkerUses() throws IOException {
        String serverXml = Files.readString(Path.of("server-config/server.xml"));
        assertTrue(serverXml.contains("<variable name=\"" + JobSettings.JMS_REPLY_QUEUES + "\" defaultValue=\""
                + JobSettings.DEFAULT_JMS_REPLY_QUEUES + "\"/>"), "server.xml and JobSettings agree on the default");
    }

    @Test
    void noJmsReplyToIsNoReplyAndNoRefusal() throws JMSException {
        ReplyRule.Verdict verdict = shipped.judge(null);
        assertNull(verdict.replyTo());
        assertNull(verdict.refusal());
    }

    @Test
    void aQueueListedInWorkerJmsReplyQueuesIsHonoured() throws JMSException {
        assertEquals("queue:worker.replies", shipped.judge(queue("worker.replies")).replyTo());
        ReplyRule perProducer = new ReplyRule(Set.of("worker.replies", "replies.billing"), () -> WORKER_QUEUES);
        assertEquals("queue:replies.billing", perProducer.judge(queue("replies.billing")).replyTo());
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker.jobs", "worker.dead", "orders", "replies.billing"})
    void aQueueNotListedIsRefusedWithTheReasonAndNoReply(String name) throws JMSException {
        ReplyRule.Verdict verdict = shipped.judge(queue(name));
        assertTrue(verdict.refused());
        assertNull(verdict.replyTo(), "nothing is sent to a refused destination");
        assertEquals("JMSReplyTo names the queue " + name + ", which is neither a temporary queue of the sender's nor in "
                + "worker.jms.replyQueues [worker.replies]: the worker replies only to a temporary queue of the sender's or a queue in "
                + "worker.jms.replyQueues, where the sender may receive", verdict.refusal());
    }

    @Test
    void theSharedReplyQueueTooIsRefusedOnceTheAdminUnlistsIt() throws JMSException {
        ReplyRule privateOnly = new ReplyRule(Set.of(), () -> WORKER_QUEUES);
        assertTrue(privateOnly.judge(queue("worker.replies")).refused());
        assertTrue(privateOnly.judge(temporaryQueue("worker.replies")).refused(), "not by calling it temporary either");
        assertEquals("queue:_Qtemp_1", privateOnly.judge(queue("_Qtemp_1")).replyTo());
    }

    @Test
    void aTemporaryQueueOfTheSendersIsHonoured() throws JMSException {
        // Artemis: the JMS client hands a TemporaryQueue named by a UUID
        assertEquals("queue:6f1c8a7e-5b7b-4e43-9f59-0c7d7e2d3b11", shipped.judge(temporaryQueue("6f1c8a7e-5b7b-4e43-9f59-0c7d7e2d3b11")).replyTo());
        // the embedded engine: a plain Queue whose name the engine keeps for temporary destinations
        assertEquals("queue:_Qtemp_4C3A1B2D", shipped.judge(queue("_Qtemp_4C3A1B2D")).replyTo());
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker.jobs", "worker.dead"})
    void aDestinationThatCallsTheWorkersOwnQueueTemporaryIsRefused(String name) throws JMSException {
        ReplyRule.Verdict verdict = shipped.judge(temporaryQueue(name));
        assertTrue(verdict.refused());
        assertTrue(verdict.refusal().startsWith("JMSReplyTo calls the worker's own queue " + name + " a temporary queue"), verdict.refusal());
    }

    @Test
    void topicsAreRefused() throws JMSException {
        Topic topic = () -> "worker.replies";
        assertTrue(shipped.judge(topic).refusal().startsWith("JMSReplyTo is the topic worker.replies: "), shipped.judge(topic).refusal());
        TemporaryTopic temporary = new TemporaryTopic() {
            @Override
            public String getTopicName() {
                return "t1";
            }

            @Override
            public void delete() {
            }
        };
        assertTrue(shipped.judge(temporary).refusal().startsWith("JMSReplyTo is a temporary topic t1: "));
    }

    @Test
    void aDestinationOfNoKnownKindIsRefused() throws JMSException {
        Destination odd = new Destination() {
        };
        assertTrue(shipped.judge(odd).refused());
    }

    @Test
    void aKeptReplyToTheWorkersOwnQueueOrATopicIsRefusedWhenTheReplyIsSent() {
        assertTrue(shipped.refusalOfKept("queue:worker.jobs").startsWith("the reply would go to the worker's own queue worker.jobs"));
        assertTrue(shipped.refusalOfKept("queue:worker.dead").startsWith("the reply would go to the worker's own queue worker.dead"));
        assertTrue(shipped.refusalOfKept("topic:events").startsWith("the reply would go to a topic (events)"));
        assertNull(shipped.refusalOfKept("queue:worker.replies"), "listed");
        assertNull(shipped.refusalOfKept("queue:6f1c8a7e-5b7b-4e43-9f59-0c7d7e2d3b11"), "judged when the message came");
        assertNull(shipped.refusalOfKept("jndi:jms/worker/replies"), "the admin's own, by JNDI name");
        assertNull(shipped.refusalOfKept(null));
        assertTrue(new ReplyRule(Set.of(), () -> WORKER_QUEUES).refusalOfKept("queue:worker.replies") != null, "no longer listed");
    }

    private static Queue queue(String name) {
        return () -> name;
    }

    private static TemporaryQueue temporaryQueue(String name) {
        return new TemporaryQueue() {
            @Override
            public String getQueueName() {
                return name;
            }

            @Override
            public void delete() {
            }
        };
    }
}
