package io.workerrole.jobs.entity;

import io.workerrole.platform.security.IdempotencyScope;

import java.time.Instant;

/**
 * What the store needs to record a job: the request and how it arrived.
 *
 * @param messageId the JMS message id, for JMS jobs: a redelivered message is recognised by it
 * @param replyTo the queue to reply to, or null
 * @param enqueuedAt when the producer sent it
 * @param idempotencyScope whose the request's idempotency key is (see IdempotencyScope): the key is unique
 *        within it only
 */
public record NewJob(
        JobRequest request,
        JobSource source,
        int priority,
        int maxAttempts,
        String messageId,
        String correlationId,
        String replyTo,
        Instant enqueuedAt,
        String idempotencyScope) {

    /** A job of the worker's own, whose key (if any) is unique among the keys of its source: storage, pipeline, schedule. */
    public NewJob(JobRequest request, JobSource source, int priority, int maxAttempts, String messageId, String correlationId,
                  String replyTo, Instant enqueuedAt) {
        this(request, source, priority, maxAttempts, messageId, correlationId, replyTo, enqueuedAt,
                IdempotencyScope.of(source.name(), null));
    }
}
