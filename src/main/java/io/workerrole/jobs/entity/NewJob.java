package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * What the store needs to record a job: the request and how it arrived.
 *
 * @param messageId the JMS message id, for JMS jobs: a redelivered message is recognised by it
 * @param replyTo the queue to reply to, or null
 * @param enqueuedAt when the producer sent it
 */
public record NewJob(
        JobRequest request,
        JobSource source,
        int priority,
        int maxAttempts,
        String messageId,
        String correlationId,
        String replyTo,
        Instant enqueuedAt) {
}
