package io.workerrole.jobs.entity;

/**
 * A validated request to run a job, as parsed from a job message or an HTTP body.
 *
 * @param type the job type (required)
 * @param payload the payload as JSON text ("null" when absent)
 * @param idempotencyKey optional: jobs with one key run to success at most once
 * @param sequenceKey optional: jobs of one key run in sequence number order
 * @param sequenceNumber the number within the sequence, when a sequence key is given
 * @param callbackUrl optional: where to POST the final status
 * @param priority 0 to 9, or null to take the transport's (JMSPriority) or the default 4
 * @param reply whether to reply on the default reply queue when the message has no JMSReplyTo
 */
public record JobRequest(
        String type,
        String payload,
        String idempotencyKey,
        String sequenceKey,
        Long sequenceNumber,
        String callbackUrl,
        Integer priority,
        boolean reply) {

    public static final int DEFAULT_PRIORITY = 4;
}
