package io.workerrole.api;

import java.time.Instant;

/**
 * CDI event fired (asynchronously, observe it with {@code @ObservesAsync}) on every state change
 * of a job.
 *
 * @param jobId the job
 * @param type its type
 * @param state the state it entered
 * @param at when
 * @param error the error, for FAILED, DEAD and REJECTED; otherwise null
 */
public record JobStateChanged(String jobId, String type, JobState state, Instant at, String error) {
}
