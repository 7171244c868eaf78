package io.workerrole.it.support;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A producer's way back to its own messages on a shared queue (worker.replies, worker.dead): by
 * the correlation id it sent, with a selector, which leaves other producers' messages for them.
 */
public final class CorrelatedMessages {

    private CorrelatedMessages() {
    }

    /** @return the JMS selector of the messages of this correlation id */
    public static String selector(String correlationId) {
        return "JMSCorrelationID = '" + correlationId + "'";
    }

    /** @return the message of this correlation id, taken off the queue, waiting for it up to the limit */
    public static Message receive(JMSContext context, Queue queue, String correlationId, Duration atMost) {
        try (JMSConsumer consumer = context.createConsumer(queue, selector(correlationId))) {
            Message message = consumer.receive(atMost.toMillis());
            assertNotNull(message, "nothing on " + queue + " for " + correlationId + " within " + atMost);
            return message;
        }
    }
}
