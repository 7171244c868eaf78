package io.workerrole.jobs.entity;

/**
 * The outcome of submitting a job.
 *
 * @param job the job recorded, or the earlier job it duplicates
 * @param duplicate true if an earlier job with the same idempotency key of the same caller (or the same message,
 *        redelivered) was found and nothing new was recorded
 */
public record Acceptance(Job job, boolean duplicate) {
}
