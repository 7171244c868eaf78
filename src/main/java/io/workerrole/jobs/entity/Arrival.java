package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * How a request arrived: what the transport tells beyond the body.
 *
 * @param source the trigger
 * @param messageId the JMS message id, or null
 * @param correlationId the id to echo on the reply, or null
 * @param replyTo where to reply (see JmsDestinations), or null
 * @param enqueuedAt when the producer sent it
 * @param priority the transport's priority (JMSPriority), or null
 */
public record Arrival(JobSource source, String messageId, String correlationId, String replyTo, Instant enqueuedAt,
                      Integer priority) {

    public static Arrival of(JobSource source, Instant at) {
        return new Arrival(source, null, null, null, at, null);
    }

    /** @return the same arrival, with this id to echo on the reply */
    public Arrival withCorrelationId(String id) {
        return new Arrival(source, messageId, id, replyTo, enqueuedAt, priority);
    }
}
