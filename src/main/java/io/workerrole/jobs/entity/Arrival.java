package io.workerrole.jobs.entity;

import io.workerrole.platform.security.IdempotencyScope;

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
 * @param caller who sent it, as the way in authenticated them (see IdempotencyScope.caller), or null if nobody
 *        was authenticated or the way in cannot tell
 */
public record Arrival(JobSource source, String messageId, String correlationId, String replyTo, Instant enqueuedAt,
                      Integer priority, String caller) {

    /** An arrival of no authenticated caller. */
    public Arrival(JobSource source, String messageId, String correlationId, String replyTo, Instant enqueuedAt,
                   Integer priority) {
        this(source, messageId, correlationId, replyTo, enqueuedAt, priority, null);
    }

    public static Arrival of(JobSource source, Instant at) {
        return new Arrival(source, null, null, null, at, null);
    }

    /** @return the same arrival, with this id to echo on the reply */
    public Arrival withCorrelationId(String id) {
        return new Arrival(source, messageId, id, replyTo, enqueuedAt, priority, caller);
    }

    /** @return the same arrival, sent by this caller (null: nobody the way in could tell) */
    public Arrival by(String sender) {
        return new Arrival(source, messageId, correlationId, replyTo, enqueuedAt, priority, sender);
    }

    /** @return whose its idempotency key is: the way in, and the caller if it knows one */
    public String idempotencyScope() {
        return IdempotencyScope.of(source.name(), caller);
    }
}
