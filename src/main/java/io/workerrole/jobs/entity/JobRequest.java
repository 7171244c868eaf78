package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * A validated request to run a job, as parsed from a job message or an HTTP body.
 *
 * @param type the job type (required)
 * @param payload the payload as JSON text ("null" when absent)
 * @param idempotencyKey optional: jobs with one key from one caller run to success at most once
 * @param sequenceKey optional: jobs of one key run in sequence number order
 * @param sequenceNumber the number within the sequence, when a sequence key is given
 * @param callbackUrl optional: where to POST the final status
 * @param priority 0 to 9, or null to take the transport's (JMSPriority) or the default 4
 * @param reply whether to reply on the default reply queue when the message has no JMSReplyTo
 * @param runAt when to run it at the earliest ({@code runAt}, or now + {@code delay}), or null for now
 * @param mutex optional: no two jobs of one mutex key run at once, on any server
 */
public record JobRequest(
        String type,
        String payload,
        String idempotencyKey,
        String sequenceKey,
        Long sequenceNumber,
        String callbackUrl,
        Integer priority,
        boolean reply,
        Instant runAt,
        String mutex) {

    public static final int DEFAULT_PRIORITY = 4;

    /** A request without a mutex. */
    public JobRequest(String type, String payload, String idempotencyKey, String sequenceKey, Long sequenceNumber,
                      String callbackUrl, Integer priority, boolean reply, Instant runAt) {
        this(type, payload, idempotencyKey, sequenceKey, sequenceNumber, callbackUrl, priority, reply, runAt, null);
    }

    /** A request to run as soon as possible, without a mutex. */
    public JobRequest(String type, String payload, String idempotencyKey, String sequenceKey, Long sequenceNumber,
                      String callbackUrl, Integer priority, boolean reply) {
        this(type, payload, idempotencyKey, sequenceKey, sequenceNumber, callbackUrl, priority, reply, null);
    }

    /**
     * A request of the worker's own triggers (a schedule, a pipeline's step, a storage change):
     * a type and a payload, a key if the trigger may start it twice, a priority if it has one; no
     * sequence, no callback, no reply, to run now.
     */
    public static JobRequest plain(String type, String payload, String idempotencyKey, Integer priority) {
        return new JobRequest(type, payload, idempotencyKey, null, null, null, priority, false);
    }

    /** @return this request with a mutex key (or none, for null) */
    public JobRequest withMutex(String key) {
        return new JobRequest(type, payload, idempotencyKey, sequenceKey, sequenceNumber, callbackUrl, priority, reply, runAt, key);
    }
}
