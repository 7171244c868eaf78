package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

/**
 * Which jobs a listing shows; null fields do not filter.
 *
 * @param idempotencyKey the one job with this key (what a producer knows of the job it sent)
 */
public record JobFilter(JobState state, String type, String idempotencyKey) {

    /** @return every job of the type */
    public static JobFilter ofType(String type) {
        return new JobFilter(null, type, null);
    }
}
