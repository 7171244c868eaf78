package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.time.Instant;

/**
 * A job as the job store holds it. JSON fields (payload, result, checkpoint) are JSON text.
 *
 * @param id the job's id (a UUID)
 * @param seq the store's insertion order, for first-in first-out claims and paging
 * @param owner the server running it, while RUNNING
 * @param runAfter the earliest time it may (next) run
 * @param enqueuedAt when the producer sent it (JMSTimestamp for messages)
 * @param sequenceKey the key of the sequence it belongs to, or null
 * @param sequenceNumber its number in that sequence, or null
 * @param mutexKey its mutex: no two jobs of one key are RUNNING at once, anywhere; or null
 */
public record Job(
        String id,
        long seq,
        String type,
        JobState state,
        int priority,
        JobSource source,
        String payload,
        String result,
        String error,
        int progress,
        String checkpoint,
        int attempts,
        int maxAttempts,
        String idempotencyKey,
        String messageId,
        String correlationId,
        String replyTo,
        String callbackUrl,
        String owner,
        Instant runAfter,
        Instant enqueuedAt,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        String sequenceKey,
        Long sequenceNumber,
        String mutexKey) {
}
